#!/usr/bin/env bash
# The daily jobs: reminders, a backup kept for BACKUP_KEEP_DAYS, forgetting finished
# background jobs (and the PDFs they made) and sign-in records past SIGN_IN_LOG_KEEP_DAYS.
#
#   scripts/daily-jobs.sh          every day at DAILY_AT (default 06:30, the server's time zone)
#   scripts/daily-jobs.sh --once   now, once (what a cron line or a systemd timer calls)
#
# Settings come from the environment, as for the web service (docs/deploy.md). A step that
# fails does not stop the others, but the run ends non-zero and says which failed; old backups
# are only removed after a new one was written.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${VENV:-$PWD/.venv-production}/bin/python"
BACKUP_DIR="${BACKUP_DIR:-backups}"

run_once() {
  local failed=()
  echo "daily-jobs: $(date -Iseconds) reminders"
  "$PYTHON" manage.py send_update_reminders || failed+=(reminders)
  mkdir -p "$BACKUP_DIR"
  local file="$BACKUP_DIR/lacstrategy-$(date +%Y-%m-%d).json.gz"
  echo "daily-jobs: backup to $file"
  if "$PYTHON" manage.py backup "$file"; then
    find "$BACKUP_DIR" -name 'lacstrategy-*.json.gz' -mtime +"${BACKUP_KEEP_DAYS:-30}" -delete
  else
    failed+=(backup)
  fi
  "$PYTHON" manage.py prune_jobs --days "${JOB_KEEP_DAYS:-30}" || failed+=(prune_jobs)
  "$PYTHON" manage.py forget_old_sign_ins || failed+=(forget_old_sign_ins)
  if [ ${#failed[@]} -gt 0 ]; then
    echo "daily-jobs: FAILED: ${failed[*]} (see above)" >&2
    return 1
  fi
}

if [ "${1:-}" = "--once" ]; then
  run_once
  exit
fi
while true; do
  now=$(date +%s)
  next=$(date -d "today ${DAILY_AT:-06:30}" +%s)
  [ "$next" -gt "$now" ] || next=$(date -d "tomorrow ${DAILY_AT:-06:30}" +%s)
  sleep $((next - now))
  run_once || true # said above; try again tomorrow
done
