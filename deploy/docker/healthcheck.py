"""The image's HEALTHCHECK: exit 0 when this container's own HTTP endpoint answers 2xx.

`ARTMARKET_HEALTH_PORT` (default: `ARTMARKET_PORT`, 8000) and `ARTMARKET_HEALTH_PATH`
(default `/health`) name it: the API's liveness, or the metrics port of a worker or
scheduler (`ARTMARKET_METRICS_PORT`, path `/metrics`). Standard library only.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    port = os.environ.get("ARTMARKET_HEALTH_PORT") or os.environ.get("ARTMARKET_PORT") or "8000"
    path = os.environ.get("ARTMARKET_HEALTH_PATH", "/health")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=4) as answer:  # noqa: S310
            return 0 if 200 <= answer.status < 300 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
