#!/usr/bin/env bash
# deploy/deploy.sh ENVIRONMENT IMAGE — roll the stack on ENVIRONMENT's host to IMAGE.
#
#   ENVIRONMENT  staging | production (reads deploy/env/ENVIRONMENT.env)
#   IMAGE        e.g. ghcr.io/OWNER/artmarket@sha256:... (release.yml passes the pushed digest)
#
# From CI: DEPLOY_HOST (user@host), DEPLOY_SSH_KEY (private key) and DEPLOY_KNOWN_HOSTS come
# from the GitHub environment. The host has Docker, the repository's deploy files are copied
# to DEPLOY_PATH (default /srv/artmarket), and the secrets are files in DEPLOY_PATH/secrets.
# Rolling back is deploying the previous image again (docs/runbooks/incident-response.md).
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 staging|production IMAGE" >&2
  exit 64
fi
environment="$1"
image="$2"
case "$environment" in
  staging | production) ;;
  *)
    echo "unknown environment: $environment (staging or production)" >&2
    exit 64
    ;;
esac
: "${DEPLOY_HOST:?DEPLOY_HOST is not set}"
path="${DEPLOY_PATH:-/srv/artmarket}"
cd "$(dirname "$0")/.."

ssh_dir="$(mktemp -d)"
trap 'rm -rf "$ssh_dir"' EXIT
if [ -n "${DEPLOY_SSH_KEY:-}" ]; then
  printf '%s\n' "$DEPLOY_SSH_KEY" > "$ssh_dir/key"
  chmod 600 "$ssh_dir/key"
fi
printf '%s\n' "${DEPLOY_KNOWN_HOSTS:-}" > "$ssh_dir/known_hosts"
ssh_options=(-o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$ssh_dir/known_hosts")
[ -f "$ssh_dir/key" ] && ssh_options+=(-i "$ssh_dir/key")

# The compose file and the deploy directory (Caddyfile, env files, backup and monitoring config).
tar -czf - docker-compose.yml deploy | ssh "${ssh_options[@]}" "$DEPLOY_HOST" \
  "mkdir -p '$path' && tar -xzf - -C '$path'"

# Pull, then replace containers; `migrate` runs before the API, worker and scheduler start,
# and --wait returns once every health check passes (or fails the deployment).
ssh "${ssh_options[@]}" "$DEPLOY_HOST" "cd '$path' && \
  export ARTMARKET_IMAGE='$image' ARTMARKET_ENV_FILE='deploy/env/$environment.env' \
         ARTMARKET_SECRETS_DIR='$path/secrets' && \
  docker compose --env-file 'deploy/env/$environment.env' pull --quiet && \
  docker compose --env-file 'deploy/env/$environment.env' up --detach --wait --remove-orphans"
echo "deployed $image to $environment"
