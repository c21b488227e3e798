#!/usr/bin/env bash
# The load benchmark of issue 14, on this machine: PostgreSQL, gunicorn, locust on 127.0.0.1.
#   bench/load/run.sh                       # build 200 programs / 10,000 people / 100,000 meetings, then 10 and 50 users
#   USERS="10 50" SECONDS_EACH=60 SKIP_BUILD=1 bench/load/run.sh
#   THINK="0.5,1.5" …                      # users clicking without reading (locustfile.py)
#   FORM_USERS=40 …                         # then the public form alone, as fast as it is answered
#   FORM_CLIENT=wrk FORM_USERS=20 …         # the same with wrk (apt-get install wrk): a cheaper client
# Needs: .venv with the project (./run or ./test make it), PostgreSQL (as .ci/run), and locust in
# a venv of its own so that its pins never touch the project's:
#   python3 -m venv .venv-locust && .venv-locust/bin/pip install locust   (LOCUST=… to use another)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
LOCUST=${LOCUST:-.venv-locust/bin/locust}
USERS=${USERS-"10 50"}  # USERS= (empty) with FORM_USERS: the form alone
SECONDS_EACH=${SECONDS_EACH:-60}
# gunicorn's advice for sync workers: 2 × cores + 1, so that a worker waiting on PostgreSQL
# leaves its core to another.
WORKERS=${WORKERS:-$(( $(nproc) * 2 + 1 ))}
THINK=${THINK:-"5,15"}
SPAWN_RATE=${SPAWN_RATE:-5}
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
# Each web process keeps its connection (psycopg's pool when installed: `pip install
# maillage[server]`, as deploy/.env.example sets; else a persistent connection): a new
# PostgreSQL backend and its SCRAM exchange per request cost both sides CPU.
if $PY -c "import psycopg_pool" 2>/dev/null; then
  export MAILLAGE_DB_POOL=1 MAILLAGE_DB_POOL_MAX=4
else
  export MAILLAGE_DB_CONN_MAX_AGE=${MAILLAGE_DB_CONN_MAX_AGE:-60}
fi
export MAILLAGE_STATIC_ROOT=${MAILLAGE_STATIC_ROOT:-$OUT/static}

if [ -z "${SKIP_BUILD:-}" ]; then
  su postgres -c "dropdb --if-exists --force $DB" >/dev/null 2>&1 || true
  su postgres -c "psql -qc \"CREATE ROLE maillage_bench LOGIN CREATEDB PASSWORD 'maillage_bench'\"" >/dev/null 2>&1 || true
  su postgres -c "createdb -O maillage_bench $DB"
  $PY manage.py migrate -v0
  $PY bench/load/build.py --programs "$PROGRAMS" --participants "$PARTICIPANTS" \
    --meetings "$MEETINGS" --out "$LOAD_TARGETS"
fi
[ -f "$LOAD_TARGETS" ] || { echo "no $LOAD_TARGETS: copy the build's targets.json there (SKIP_BUILD=1)" >&2; exit 1; }
$PY manage.py collectstatic --noinput -v0
: > "$LOAD_SENT"

# The page fragments every web process shares (maillage/core/fragments.py), as the kit's Compose
# file serves them: a Redis of the run's own, started empty, when redis-server and redis-py are
# there (FRAGMENTS=local: each process's own memory, as without Redis).
REDIS_PORT=${REDIS_PORT:-$(( PORT - 8040 + 6390 ))}
REDIS=
if [ "${FRAGMENTS:-redis}" = redis ] && command -v redis-server >/dev/null && $PY -c "import redis" 2>/dev/null; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --maxmemory 256mb --maxmemory-policy allkeys-lru >"$OUT/redis.log" 2>&1 &
  REDIS=$!
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export MAILLAGE_FRAGMENT_CACHE=redis://127.0.0.1:$REDIS_PORT/1
  fragments="shared, Redis on 127.0.0.1:$REDIS_PORT"
else
  fragments="each web process's own memory (no redis-server or redis-py, or FRAGMENTS=local)"
fi
hits() {  # Redis's keyspace hits and misses so far (nothing without Redis)
  if [ -n "$REDIS" ]; then
    redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' \
      | awk -F: '/^keyspace_(hits|misses)/ {printf "%s ", $2}'
  fi
}

# The deployment kit's own settings (deploy/gunicorn.conf.py: sync workers, max_requests),
# the request log (INFO, one line a request, as in production) in $OUT/django.log.
MAILLAGE_BIND=127.0.0.1:$PORT MAILLAGE_WORKERS=$WORKERS MAILLAGE_PRELOAD=${MAILLAGE_PRELOAD:-1} \
  $VENV/bin/gunicorn -c deploy/gunicorn.conf.py maillage.wsgi --timeout 60 \
  --error-logfile "$OUT/gunicorn.log" >"$OUT/django.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN $REDIS 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/robots.txt" && break; sleep 1; done

echo "gunicorn: $WORKERS sync workers; think time $THINK s; $(nproc) cores; fragments: $fragments"
echo
echo "| users | request | requests | failures | p50 ms | p95 ms | req/s | load avg (1, 5, 15 min) |"
echo "|---|---|---|---|---|---|---|---|"
step() {  # users, label, then LOAD_* variables already exported
  local users=$1 label=$2 ramp=$(( ($1 + SPAWN_RATE - 1) / SPAWN_RATE ))
  # Every user signs in first (PBKDF2, about a second of CPU each under load, SPAWN_RATE a
  # second); the figures start once all have *signed in* (the locustfile resets its stats and
  # writes $ready then), last SECONDS_EACH, and the server's CPU is read over that window.
  local ready="$OUT/$label.ready"
  rm -f "$ready"
  LOAD_READY=$ready LOAD_MEASURE_SECONDS=$SECONDS_EACH \
  $LOCUST -f bench/load/locustfile.py --headless -u "$users" -r "$SPAWN_RATE" \
    -t "$(( SECONDS_EACH + ramp + 600 ))s" --host "http://127.0.0.1:$PORT" --csv "$OUT/$label" \
    --only-summary >"$OUT/$label.log" 2>&1 &
  local locust_pid=$!
  while [ ! -f "$ready" ] && kill -0 $locust_pid 2>/dev/null; do sleep 0.2; done
  local cpu0; cpu0=$($PY bench/load/cpu.py $GUNICORN)
  local hits0; hits0=$(hits)
  wait $locust_pid || true
  local cpu1; cpu1=$($PY bench/load/cpu.py $GUNICORN)
  local hits1; hits1=$(hits)
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  $PY - "$OUT/${label}_stats.csv" "$users" "$load" "$cpu0" "$cpu1" "$label" "$hits0" "$hits1" <<'PY'
import csv, sys
path, users, load, cpu0, cpu1, label, hits0, hits1 = sys.argv[1:]
web0, pg0 = map(float, cpu0.split()); web1, pg1 = map(float, cpu1.split())
total = None
for row in csv.DictReader(open(path)):
    print(f"| {users} | {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
          f"{row['50%']} | {row['95%']} | {float(row['Requests/s']):.1f} | {load} |")
    if row["Name"] == "Aggregated":
        total = int(row["Request Count"])
if total:
    print(f"\n{label}: server CPU per request {1000 * (web1 - web0) / total:.1f} ms in gunicorn "
          f"+ {1000 * (pg1 - pg0) / total:.1f} ms in PostgreSQL ({total} requests after the "
          "sign-ins)")
if hits0.strip() and hits1.strip():
    (h0, m0), (h1, m1) = (map(int, x.split()) for x in (hits0, hits1))
    hits, misses = h1 - h0, m1 - m0
    rate = 100 * hits / (hits + misses) if hits + misses else 0
    print(f"{label}: shared fragments {rate:.0f} % found ({hits} found, {misses} rendered)")
print()
PY
}
for users in $USERS; do
  LOAD_THINK=$THINK step "$users" "u$users"
done
form_wrk() {  # users: the public form alone with wrk (bench/load/form.lua), one connection a thread
  local users=$1 label=wrk$1 forms="$OUT/forms.txt"
  $PY -c "import json, sys; print('\n'.join(json.load(open(sys.argv[1]))['forms']))" "$LOAD_TARGETS" >"$forms"
  rm -f "$LOAD_SENT".*
  # Every worker's first requests (connections, caches, the forms' fields) outside the measure.
  LOAD_FORMS=$forms LOAD_SENT=$LOAD_SENT wrk -t "$users" -c "$users" -d 5s --timeout 30s -s bench/load/form.lua \
    "http://127.0.0.1:$PORT" >/dev/null
  cat "$LOAD_SENT".* >>"$LOAD_SENT"; rm -f "$LOAD_SENT".*
  local cpu0; cpu0=$($PY bench/load/cpu.py $GUNICORN)
  LOAD_FORMS=$forms LOAD_SENT=$LOAD_SENT /usr/bin/time -f "%U %S" -o "$OUT/$label.time" \
    wrk -t "$users" -c "$users" -d "${SECONDS_EACH}s" --timeout 30s --latency -s bench/load/form.lua \
    "http://127.0.0.1:$PORT" >"$OUT/$label.log"
  local cpu1; cpu1=$($PY bench/load/cpu.py $GUNICORN)
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  local accepted; accepted=$(cat "$LOAD_SENT".* | wc -l)
  cat "$LOAD_SENT".* >>"$LOAD_SENT"; rm -f "$LOAD_SENT".*
  $PY - "$OUT/$label" "$users" "$load" "$cpu0" "$cpu1" "$accepted" "$SECONDS_EACH" <<'PY'
import re, sys
base, users, load, cpu0, cpu1, accepted, seconds = sys.argv[1:]
text = open(base + ".log").read()
web0, pg0 = map(float, cpu0.split()); web1, pg1 = map(float, cpu1.split())
user, system = map(float, open(base + ".time").read().split()[-2:])
n = int(re.search(r"(\d+) requests in ([\d.]+)s", text).group(1))
wall = float(re.search(r"(\d+) requests in ([\d.]+)s", text).group(2))
pct = dict(re.findall(r"^\s+(\d+)%\s+(\S+)", text, re.M))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
timeouts = re.search(r"timeout (\d+)", text)
print(f"| {users} (wrk) | {int(accepted) / wall:.1f} submissions/s ({accepted}) | {n / wall:.1f} req/s | "
      f"p50 {pct.get('50')} / p90 {pct.get('90')} / p99 {pct.get('99')} | "
      f"{bad.group(1) if bad else 0}, {timeouts.group(1) if timeouts else 0} timed out | {load} |")
print(f"\nwrk{users}: server CPU per request {1000 * (web1 - web0) / n:.1f} ms in gunicorn + "
      f"{1000 * (pg1 - pg0) / n:.1f} ms in PostgreSQL; client (wrk) {1000 * (user + system) / n:.2f} ms "
      f"({n} requests)\n")
PY
}
if [ -n "${FORM_USERS:-}" ] && [ "${FORM_CLIENT:-locust}" = wrk ]; then
  # The public form alone with wrk: far less client CPU per request than locust on these cores.
  echo "| applicants | submissions | requests | latency (all three requests) | non-2xx/3xx, timeouts | load avg |"
  echo "|---|---|---|---|---|---|"
  form_wrk "$FORM_USERS"
elif [ -n "${FORM_USERS:-}" ]; then
  # The public form alone: applicants only, no think time (GET the form, POST it, GET thanks).
  LOAD_ROLES=Applicant LOAD_FORM_THINK=0,0 step "$FORM_USERS" "form$FORM_USERS"
fi
$PY bench/load/check_sent.py "$LOAD_SENT"
