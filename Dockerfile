# syntax=docker/dockerfile:1
# One image for every artmarket process, chosen by the command:
#   serve (default) | worker | scheduler | db upgrade | backup create | ... (`artmarket --help`)
# Non-root, read-only friendly (writes go to the data and backup volumes and /tmp only),
# no secret inside: settings come from ARTMARKET_* variables and *_FILE mounted secrets.

ARG PYTHON_VERSION=3.11

# --- build: a virtualenv with artmarket and its pinned dependencies -------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/artmarket \
    && /opt/artmarket/bin/pip install "pip>=25.1"
WORKDIR /src
# Dependencies first (a layer that survives code changes), then the package itself.
COPY pyproject.toml README.md ./
RUN mkdir -p src/artmarket && touch src/artmarket/__init__.py \
    && /opt/artmarket/bin/pip install . \
    && /opt/artmarket/bin/pip uninstall --yes artmarket
COPY src ./src
RUN /opt/artmarket/bin/pip install --no-deps . \
    # Compiled now, so a read-only container never tries to write .pyc files.
    && /opt/artmarket/bin/python -m compileall -q /opt/artmarket/lib

# --- runtime: the virtualenv, the PostgreSQL client for backups, an unprivileged user --------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ARG RELEASE=dev
LABEL org.opencontainers.image.title="artmarket" \
      org.opencontainers.image.description="Art marketplace: API, worker and scheduler in one image" \
      org.opencontainers.image.version="${RELEASE}"
# pg_dump/pg_restore of the server's major version, for `artmarket backup`; DejaVu Serif, so the
# certificate PDF prints every name's accents (adapters/documents/pdf.py).
RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-client-15 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 artmarket \
    && useradd --system --uid 10001 --gid artmarket --home-dir /var/lib/artmarket --shell /usr/sbin/nologin artmarket \
    && install -d -o artmarket -g artmarket -m 0750 /var/lib/artmarket /var/backups/artmarket
COPY --from=build /opt/artmarket /opt/artmarket
COPY deploy/docker/healthcheck.py /opt/artmarket/healthcheck.py
ENV PATH=/opt/artmarket/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/var/lib/artmarket \
    ARTMARKET_HOST=0.0.0.0 \
    ARTMARKET_PORT=8000 \
    ARTMARKET_DATA_DIR=/var/lib/artmarket \
    ARTMARKET_BACKUP_DIR=/var/backups/artmarket \
    ARTMARKET_RELEASE=${RELEASE}
USER 10001:10001
WORKDIR /var/lib/artmarket
EXPOSE 8000 9100
# The API answers /health; worker and scheduler set ARTMARKET_HEALTH_PORT/_PATH to their metrics port.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/opt/artmarket/healthcheck.py"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["artmarket"]
CMD ["serve"]
