#!/usr/bin/env bash
# The one way the service starts, on a council's server, in the container and in CI:
#
#   scripts/start-production.sh web      migrate, collect static files, then gunicorn
#   scripts/start-production.sh worker   the background worker (reports, documents, imports)
#
# Settings come from the environment (docs/deploy.md). The dependencies are installed from the
# hashed lock file, requirements.lock, into $VENV (default .venv-production) when the lock is
# newer than what is installed; the container image has them installed already.
set -euo pipefail
cd "$(dirname "$0")/.."

role="${1:-web}"
VENV="${VENV:-$PWD/.venv-production}"
PYTHON="$VENV/bin/python"

lock_digest="$(sha256sum requirements.lock | cut -d' ' -f1)"
if [ "$(cat "$VENV/.lock-digest" 2>/dev/null)" != "$lock_digest" ]; then
  echo "start-production: installing requirements.lock into $VENV"
  python3 -m venv "$VENV"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
    -r requirements.lock
  echo "$lock_digest" >"$VENV/.lock-digest"
fi

case "$role" in
  web)
    # The settings first: a start that is refused must not have migrated the database.
    "$PYTHON" manage.py check --deploy --fail-level ERROR
    if [ "${RUN_MIGRATIONS:-true}" = "true" ]; then
      "$PYTHON" manage.py migrate --noinput
    fi
    "$PYTHON" manage.py collectstatic --noinput --verbosity 0
    exec "$VENV/bin/gunicorn" --config gunicorn.conf.py lacstrategy.wsgi:application
    ;;
  worker)
    exec "$PYTHON" manage.py db_worker --interval "${WORKER_INTERVAL:-1}"
    ;;
  *)
    echo "usage: $0 web|worker" >&2
    exit 2
    ;;
esac
