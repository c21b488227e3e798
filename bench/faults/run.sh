#!/usr/bin/env bash
# Fault scripts of issue 14: a bounded load on gunicorn + PostgreSQL + the task worker, and one
# fault in the middle of it; then check.py says what was lost, doubled, half-written, and what
# users were shown.
#   bench/faults/run.sh web        # kill -9 a gunicorn worker (three times); the master restarts it
#   bench/faults/run.sh worker     # kill -9 the task worker mid-task (twice), restarted 3 s later
#   bench/faults/run.sh postgres   # pg_ctlcluster <version> main restart during the load
#   bench/faults/run.sh all        # the three, one after the other
#   USERS=20 SECONDS_EACH=45 PROGRAMS=20 OUT=/tmp/faults bench/faults/run.sh web
# Each run builds its own database (maillage_faults_<fault>), and drops it at the end with
# everything it started (KEEP_DB=1 keeps the database to look at it).
set -euo pipefail
cd "$(dirname "$0")/../.."
FAULT=${1:?"web, worker, postgres or all"}
if [ "$FAULT" = all ]; then
  status=0
  for f in web worker postgres; do "$0" "$f" || status=1; done
  exit $status
fi
case $FAULT in web|worker|postgres) ;; *) echo "unknown fault: $FAULT" >&2; exit 2;; esac
VENV=${VENV:-.venv}
PY=$VENV/bin/python
LOCUST=${LOCUST:-.venv-locust/bin/locust}
USERS=${USERS:-20}
SECONDS_EACH=${SECONDS_EACH:-45}
WORKERS=${WORKERS:-3}
PORT=${PORT:-8050}
PROGRAMS=${PROGRAMS:-20}
OUT=${OUT:-/tmp/faults}/$FAULT
DB=maillage_faults_$FAULT
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
rm -rf "$OUT" && mkdir -p "$OUT"

export DATABASE_URL="postgres://maillage_bench:maillage_bench@127.0.0.1:5432/$DB"
export MAILLAGE_SECRET_KEY=bench-only-not-a-secret-$(hostname)-0123456789abcdefghijklmnop
export MAILLAGE_HTTPS=0 MAILLAGE_MFA_REQUIRED=0 MAILLAGE_SITE_URL=http://127.0.0.1:$PORT
export MAILLAGE_EMAIL_BACKEND=bench.faults.mailbox.EmailBackend FAULTS_MAILBOX=$OUT/mailbox.txt
export MAILLAGE_FORM_RATE_PER_ADDRESS=100000000 MAILLAGE_RATE_LOGIN=100000/m/ip
export LOAD_TARGETS=$OUT/targets.json LOAD_SENT=$OUT/sent.txt LOAD_OUTCOMES=$OUT/outcomes.jsonl
# The worker beats every 2 s and a silent one's tasks are taken back after 8 s (production: 30
# and 120 s), so that the run sees a killed worker's task queued again.
export MAILLAGE_HEARTBEAT_SECONDS=2 MAILLAGE_HEARTBEAT_MAX_AGE=8
# Sending an e-mail takes 2 s in the worker run (0.3 s otherwise), so that each kill lands mid-task;
# 1 s in the postgres run, so that tasks are queued, and one in hand, when the database goes.
[ "$FAULT" = worker ] && export FAULTS_MAIL_DELAY=${FAULTS_MAIL_DELAY:-2}
[ "$FAULT" = postgres ] && export FAULTS_MAIL_DELAY=${FAULTS_MAIL_DELAY:-1}
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}

GUNICORN= WORKER= LOAD=
cleanup() {
  for pid in $LOAD $WORKER $GUNICORN; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_DB:-}" ] || su postgres -c "dropdb --if-exists --force $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
log() { echo "[$(date -u +%T)] $*" | tee -a "$OUT/events.txt"; }
start_worker() {
  $PY manage.py worker --interval 0.5 >>"$OUT/worker.log" 2>&1 &
  WORKER=$!
  log "task worker started (pid $WORKER)"
}
wait_pg() { for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 && return; sleep 0.5; done; }

pg_ctlcluster "$version" main start 2>/dev/null || true
wait_pg
su postgres -c "dropdb --if-exists --force $DB" >/dev/null 2>&1 || true
su postgres -c "psql -qc \"CREATE ROLE maillage_bench LOGIN CREATEDB PASSWORD 'maillage_bench'\"" >/dev/null 2>&1 || true
su postgres -c "createdb -O maillage_bench $DB"
$PY manage.py migrate -v0
$PY bench/load/build.py --programs "$PROGRAMS" --participants $((PROGRAMS * 20)) \
  --meetings $((PROGRAMS * 100)) --out "$LOAD_TARGETS" >"$OUT/build.log" 2>&1
$PY manage.py collectstatic --noinput -v0
: >"$LOAD_SENT"; : >"$LOAD_OUTCOMES"; : >"$FAULTS_MAILBOX"

$VENV/bin/gunicorn maillage.wsgi --bind 127.0.0.1:$PORT --workers "$WORKERS" --timeout 60 \
  --access-logfile "$OUT/access.log" --error-logfile "$OUT/gunicorn.log" >>"$OUT/django.log" 2>&1 &
GUNICORN=$!
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/robots.txt" && break; sleep 1; done >/dev/null 2>&1
start_worker

log "load: $USERS users for ${SECONDS_EACH}s, fault: $FAULT"
$LOCUST -f bench/faults/locustfile.py --headless -u "$USERS" -r "$USERS" -t "${SECONDS_EACH}s" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --only-summary >"$OUT/locust.log" 2>&1 &
LOAD=$!
third=$((SECONDS_EACH / 4))
case $FAULT in
  web)
    for _ in 1 2 3; do
      sleep "$third"
      victim=$(pgrep -P "$GUNICORN" | shuf -n1)
      kill -9 "$victim" && log "kill -9 gunicorn worker $victim"
    done ;;
  worker)
    for _ in 1 2; do
      sleep "$third"
      # Wait for answers to be flowing (on a loaded machine sign-ins come first), so that the
      # kill lands while a confirmation is being sent.
      for _ in $(seq 1 20); do [ "$(wc -l <"$LOAD_SENT")" -ge 2 ] && break; sleep 1; done
      kill -9 "$WORKER" && log "kill -9 task worker $WORKER"
      wait "$WORKER" 2>/dev/null || true
      sleep 3
      start_worker
    done ;;
  postgres)
    sleep "$((SECONDS_EACH / 3))"
    # The tasks waiting or in hand as the database goes: check.py checks each ran once.
    $PY manage.py shell -c "from django_tasks_db.models import DBTaskResult as T; print(*T.objects.filter(status__in=['READY', 'RUNNING']).values_list('id', flat=True))" \
      2>/dev/null | tail -1 | tr ' ' '\n' | sed '/^$/d' >"$OUT/queued_at_restart.txt" || true
    log "tasks waiting or running as the database goes: $(wc -l <"$OUT/queued_at_restart.txt")"
    log "pg_ctlcluster $version main restart"
    pg_ctlcluster "$version" main restart
    log "PostgreSQL back"
    sleep 2
    if kill -0 "$WORKER" 2>/dev/null; then
      log "the task worker is still running (pid $WORKER)"
    else
      # A process manager (systemd Restart=always, Compose restart:) would bring it back.
      log "the task worker had exited: $(tail -1 "$OUT/worker.log")"
      start_worker
    fi ;;
esac
wait "$LOAD" || true
LOAD=
load=$(cut -d' ' -f1-3 /proc/loadavg)
log "load over; load average $load"
# Let the queue drain (the worker may need to be restarted by hand, as a supervisor would).
for _ in $(seq 1 300); do
  kill -0 "$WORKER" 2>/dev/null || { log "the task worker had exited"; start_worker; }
  left=$($PY manage.py shell -c "from django_tasks_db.models import DBTaskResult as T; print(T.objects.filter(status__in=['READY', 'RUNNING']).count())" 2>/dev/null | tail -1 || echo "?")
  [ "$left" = 0 ] && break
  sleep 1
done
log "queue drained (tasks ready or running: $left)"
# The drain may end before anything noticed the worker gone: say whether it is still there.
if kill -0 "$WORKER" 2>/dev/null; then
  log "the task worker is alive at the end (pid $WORKER)"
else
  log "the task worker had exited by the end: $(tail -1 "$OUT/worker.log")"
fi

echo "### $FAULT ($USERS users, ${SECONDS_EACH}s, $PROGRAMS programs, $WORKERS gunicorn workers; load average $load)"
echo
sed 's/^/    /' "$OUT/events.txt"
echo
$PY - "$OUT/locust_stats.csv" <<'PY'
import csv, sys
print("| request | count | failures | p50 ms | p95 ms |")
print("|---|---|---|---|---|")
for row in csv.DictReader(open(sys.argv[1])):
    print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} |")
PY
echo
statuses=$(awk '{print $9}' "$OUT/access.log" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')
echo "- gunicorn access log, statuses: $statuses"
echo "- gunicorn and Django logs: $(cat "$OUT/gunicorn.log" "$OUT/django.log" | grep -c Traceback || true) tracebacks, $(grep -c 'SIGKILL\|Worker .* was sent' "$OUT/gunicorn.log" || true) worker deaths noted, $(grep -c 'Booting worker' "$OUT/gunicorn.log") workers booted"
echo "- task worker log: $(grep -c Traceback "$OUT/worker.log" || true) tracebacks"
$PY bench/faults/check.py "$OUT" --tasks $([ "$FAULT" = postgres ] && echo --postgres)
