#!/bin/sh
# The `backup` service of docker-compose.yml: `artmarket backup create` every
# BACKUP_INTERVAL_SECONDS (default: daily), then archives older than BACKUP_KEEP_DAYS
# (default 14) are deleted. Archives land in ARTMARKET_BACKUP_DIR (the `backups` volume);
# copy that volume off the host as well (docs/runbooks/database-restore.md).
set -eu

interval="${BACKUP_INTERVAL_SECONDS:-86400}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
dir="${ARTMARKET_BACKUP_DIR:-/var/backups/artmarket}"

trap 'exit 0' TERM INT

while :; do
    if artmarket backup create; then
        echo "backup: created in ${dir}"
        # Retention: only once a new backup exists is anything old removed.
        find "${dir}" -mindepth 1 -maxdepth 1 -mtime "+${keep_days}" -print -exec rm -rf {} +
    else
        echo "backup: FAILED (kept every older archive)" >&2
    fi
    sleep "${interval}" &
    wait $!
done
