#!/usr/bin/env bash
# `make run`: migrate, seed the demo, then run web + Celery worker + beat together.
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
mkdir -p var/celery/queue var/celery/control

"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py seed_demo --persons "${DEMO_PERSONS:-150}"
# What the nightly and monthly beat jobs would have made by now: findings, and
# last month's draft bill runs (a finalized month gets a supplemental draft).
"$BIN/python" manage.py evaluate_compliance
"$BIN/python" manage.py generate_bills

pids=()
stop() {
    trap - INT TERM EXIT
    kill -TERM "${pids[@]}" 2>/dev/null || true  # each stops its own children cleanly
    wait
}
trap stop INT TERM EXIT
"$BIN/celery" -A tcm worker --loglevel INFO --concurrency 2 & pids+=($!)
"$BIN/celery" -A tcm beat --loglevel INFO & pids+=($!)
"$BIN/python" manage.py runserver "127.0.0.1:$PORT" & pids+=($!)

cat <<MSG

  TCM is running at http://127.0.0.1:$PORT/   (Ctrl-C stops web, worker and beat)

  Demo logins, password tcm-demo-2026 (demo data only):
    cm1.hrc   case manager, Hudspeth Regional Center (cm4.* are not qualified)
    sup.hrc   supervisor
    ro.hrc    reimbursement officer
    reviewer  DMH reviewer (read-only, all regions; admin at /admin/)
  Every region has the same logins: replace hrc with brc, ess, nmrc or smrc.

MSG
wait
