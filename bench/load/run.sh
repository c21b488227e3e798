#!/usr/bin/env bash
# The load benchmark of issue 14, on this machine: PostgreSQL, gunicorn, locust on 127.0.0.1.
#   bench/load/run.sh                       # build 200 programs / 10,000 people / 100,000 meetings, then 10 and 50 users
#   USERS="10 50" SECONDS_EACH=60 WORKERS=3 SKIP_BUILD=1 bench/load/run.sh
#   LOAD_THINK="5,15" SPAWN_RATE=5 RESET_STATS=1 …   # people who read their pages (locustfile.py)
# Needs: .venv with the project (./run or ./test make it), PostgreSQL (as .ci/run), and locust in
# a venv of its own so that its pins never touch the project's:
#   python3 -m venv .venv-locust && .venv-locust/bin/pip install locust   (LOCUST=… to use another)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
LOCUST=${LOCUST:-.venv-locust/bin/locust}
USERS=${USERS:-"10 50"}
SECONDS_EACH=${SECONDS_EACH:-60}
WORKERS=${WORKERS:-3}
PORT=${PORT:-8040}
OUT=${OUT:-/tmp/load}
PROGRAMS=${PROGRAMS:-200}
PARTICIPANTS=${PARTICIPANTS:-10000}
MEETINGS=${MEETINGS:-100000}
DB=${DB:-maillage_bench}  # another name keeps two builds side by side (before / after)
mkdir -p "$OUT"

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters | grep -q "^$version *main" || pg_createcluster "$version" main >/dev/null
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done

export DATABASE_URL="postgres://maillage_bench:maillage_bench@127.0.0.1:5432/$DB"
export MAILLAGE_SECRET_KEY=bench-only-not-a-secret-$(hostname)-0123456789abcdefghijklmnop
export MAILLAGE_HTTPS=0 MAILLAGE_MFA_REQUIRED=0 MAILLAGE_SITE_URL=http://127.0.0.1:$PORT
export MAILLAGE_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
# One machine plays every client: the per-connection limits would stop the load itself.
export MAILLAGE_FORM_RATE_PER_ADDRESS=100000000 MAILLAGE_RATE_LOGIN=100000/m/ip
export LOAD_TARGETS=$OUT/targets.json LOAD_SENT=$OUT/sent.txt

if [ -z "${SKIP_BUILD:-}" ]; then
  su postgres -c "dropdb --if-exists --force $DB" >/dev/null 2>&1 || true
  su postgres -c "psql -qc \"CREATE ROLE maillage_bench LOGIN CREATEDB PASSWORD 'maillage_bench'\"" >/dev/null 2>&1 || true
  su postgres -c "createdb -O maillage_bench $DB"
  $PY manage.py migrate -v0
  $PY bench/load/build.py --programs "$PROGRAMS" --participants "$PARTICIPANTS" \
    --meetings "$MEETINGS" --out "$LOAD_TARGETS"
fi
$PY manage.py collectstatic --noinput -v0
: > "$LOAD_SENT"

$VENV/bin/gunicorn maillage.wsgi --bind 127.0.0.1:$PORT --workers "$WORKERS" --timeout 60 \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/robots.txt" && break; sleep 1; done

echo "| users | page | requests | failures | p50 ms | p95 ms | req/s | load avg (1, 5, 15 min) |"
echo "|---|---|---|---|---|---|---|---|"
for users in $USERS; do
  # SPAWN_RATE users a second sign in (PBKDF2 by design, about 0.3 s of CPU each); with
  # RESET_STATS=1 the figures start once every user has started, so that the sign-in burst
  # is measured on its own line and not inside the pages' queue.
  $LOCUST -f bench/load/locustfile.py --headless -u "$users" -r "${SPAWN_RATE:-$users}" \
    ${RESET_STATS:+--reset-stats} \
    -t "${SECONDS_EACH}s" --host "http://127.0.0.1:$PORT" --csv "$OUT/u$users" \
    --only-summary >"$OUT/u$users.log" 2>&1 || true
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  $PY - "$OUT/u${users}_stats.csv" "$users" "$load" <<'PY'
import csv, sys
path, users, load = sys.argv[1:]
for row in csv.DictReader(open(path)):
    print(f"| {users} | {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
          f"{row['50%']} | {row['95%']} | {float(row['Requests/s']):.1f} | {load} |")
PY
done
$PY bench/load/check_sent.py "$LOAD_SENT"
