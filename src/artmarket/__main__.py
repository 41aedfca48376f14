"""The `artmarket` console script (and `python -m artmarket`).

It builds the CLI without importing the composition root: `artmarket.bootstrap` pulls in
every framework and adapter (seconds of imports), which `--help`, a usage error or a settings
problem do not need. The first command that needs a container imports it (ADR 0022).
"""

from __future__ import annotations

from artmarket.entrypoints.cli.main import build_cli
from artmarket.entrypoints.cli.runtime import CliWiring


def _wiring() -> CliWiring:
    from artmarket import bootstrap

    return bootstrap.cli_wiring()


def main() -> None:
    build_cli(_wiring)()


if __name__ == "__main__":
    main()
