#!/usr/bin/env bash
# What this machine serves at best, with the load benchmark's server and client (issue 14):
# a bare Django view (no database) through Maillage's whole middleware stack and through none,
# and a view writing one row in a transaction; gunicorn as run.sh starts it, locust
# FastHttpUser without think time on the same cores. Prints requests a second, the server's CPU
# per request (gunicorn + PostgreSQL), the client's CPU per request and the load average.
#   DB=bench_form PORT=8042 bench/load/ceiling.sh      (after run.sh built that database)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
LOCUST=${LOCUST:-.venv-locust/bin/locust}
PORT=${PORT:-8040}
DB=${DB:-maillage_bench}
USERS=${USERS:-20}
SECONDS_EACH=${SECONDS_EACH:-20}
WORKERS=${WORKERS:-$(( $(nproc) * 2 + 1 ))}
OUT=${OUT:-/tmp/load}
mkdir -p "$OUT"
export DATABASE_URL="postgres://maillage_bench:maillage_bench@127.0.0.1:5432/$DB"
export MAILLAGE_SECRET_KEY=bench-only-not-a-secret-$(hostname)-0123456789abcdefghijklmnop
export MAILLAGE_HTTPS=0 MAILLAGE_MFA_REQUIRED=0 MAILLAGE_DB_CONN_MAX_AGE=60
export MAILLAGE_STATIC_ROOT=${MAILLAGE_STATIC_ROOT:-$OUT/static}
export PYTHONPATH=$PWD/bench/load DJANGO_SETTINGS_MODULE=ceiling_settings

echo "| stack | view | req/s | server CPU ms / request (gunicorn + PostgreSQL) | client CPU ms / request | load avg |"
echo "|---|---|---:|---:|---:|---|"
for stack in ${STACKS:-full minimal}; do
  CEILING_STACK=$stack MAILLAGE_BIND=127.0.0.1:$PORT MAILLAGE_WORKERS=$WORKERS MAILLAGE_PRELOAD=1 \
    $VENV/bin/gunicorn -c deploy/gunicorn.conf.py maillage.wsgi ${GUNICORN_ARGS:-} \
    --error-logfile "$OUT/ceiling-gunicorn.log" >"$OUT/ceiling-django.log" 2>&1 &
  gunicorn=$!
  for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/ceiling/bare/" && break; sleep 1; done
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/ceiling/bare/" || { echo "gunicorn did not start: $OUT/ceiling-django.log" >&2; exit 1; }
  for view in bare insert; do
    # Every worker's first requests (connections, caches) outside the measure.
    CEILING_PATH=/ceiling/$view/ $LOCUST -f bench/load/ceiling_locust.py --headless -u "$USERS" \
      -r "$USERS" -t 5s --host "http://127.0.0.1:$PORT" --only-summary >/dev/null 2>&1 || true
    cpu0=$($PY bench/load/cpu.py $gunicorn)
    CEILING_PATH=/ceiling/$view/ /usr/bin/time -f "%U %S" -o "$OUT/ceiling-client.time" \
      $LOCUST -f bench/load/ceiling_locust.py --headless -u "$USERS" -r "$USERS" \
      -t "${SECONDS_EACH}s" --host "http://127.0.0.1:$PORT" --csv "$OUT/ceiling-$stack-$view" \
      --only-summary >"$OUT/ceiling-$stack-$view.log" 2>&1 || true
    cpu1=$($PY bench/load/cpu.py $gunicorn)
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    $PY - "$OUT/ceiling-$stack-$view" "$stack" "$view" "$cpu0" "$cpu1" "$load" <<'PY'
import csv, sys
base, stack, view, cpu0, cpu1, load = sys.argv[1:]
web0, pg0 = map(float, cpu0.split()); web1, pg1 = map(float, cpu1.split())
row = next(r for r in csv.DictReader(open(base + "_stats.csv")) if r["Name"] == "Aggregated")
n = int(row["Request Count"])
user, system = map(float, open(base.rsplit("/", 1)[0] + "/ceiling-client.time").read().split()[-2:])
print(f"| {stack} | {view} | {float(row['Requests/s']):.0f} | {1000 * (web1 - web0) / n:.2f} + "
      f"{1000 * (pg1 - pg0) / n:.2f} | {1000 * (user + system) / n:.2f} | {load} |")
PY
  done
  kill $gunicorn; wait $gunicorn 2>/dev/null || true
done
