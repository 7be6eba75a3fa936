#!/usr/bin/env bash
# The daily jobs, for a server without cron (the compose file's `daily` service):
# reminders, a backup kept for BACKUP_KEEP_DAYS, and clearing finished background tasks.
#
#   scripts/daily-jobs.sh          every day at DAILY_AT (default 06:30, the server's time)
#   scripts/daily-jobs.sh --once   now, once (what a cron line calls)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${VENV:-$PWD/.venv-production}/bin/python"
BACKUP_DIR="${BACKUP_DIR:-backups}"

run_once() {
  echo "daily-jobs: $(date -Iseconds) reminders"
  "$PYTHON" manage.py send_update_reminders
  mkdir -p "$BACKUP_DIR"
  file="$BACKUP_DIR/lacstrategy-$(date +%Y-%m-%d).json.gz"
  echo "daily-jobs: backup to $file"
  "$PYTHON" manage.py backup "$file"
  find "$BACKUP_DIR" -name 'lacstrategy-*.json.gz' -mtime +"${BACKUP_KEEP_DAYS:-30}" -delete
  "$PYTHON" manage.py prune_db_task_results --min-age-days 30
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
  run_once || echo "daily-jobs: a step failed; see above" >&2
done
