#!/usr/bin/env bash
# Runs WorkSpace locally: embedded SQLite (unless DATABASE_URL), a local Redis (unless REDIS_URL),
# migrations, then the api on 127.0.0.1:8000 and the worker. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

export WORKSPACE_DATA_DIR="${WORKSPACE_DATA_DIR:-$PWD/data}"
# The data directory is the owner's alone (database, Redis data, logs, the first password).
umask 077
mkdir -p "$WORKSPACE_DATA_DIR"
chmod 700 "$WORKSPACE_DATA_DIR"
HOST="${WORKSPACE_HOST:-127.0.0.1}"
PORT="${WORKSPACE_PORT:-8000}"
# Feeds, canonical links and "view the public page" follow the port this run answers on;
# notebooks are handed over to {key}.nb.localhost on the same port.
local_host="$HOST"; [ "$HOST" = 0.0.0.0 ] && local_host=127.0.0.1
export WORKSPACE_PUBLIC_URL="${WORKSPACE_PUBLIC_URL:-http://$local_host:$PORT}"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait || true; }
trap cleanup EXIT INT TERM

if [ -z "${REDIS_URL:-}" ]; then
  redis_port="${WORKSPACE_REDIS_PORT:-6390}"
  if ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing redis-server (set REDIS_URL to use your own Redis instead)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null
    else
      echo "redis-server is missing: install it (apt-get install redis-server) or set REDIS_URL" >&2
      exit 1
    fi
  fi
  mkdir -p "$WORKSPACE_DATA_DIR/redis"
  # Append-only file on: queued jobs and state survive a restart of the embedded Redis.
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$WORKSPACE_DATA_DIR/redis" \
    --appendonly yes --save "" --loglevel warning &
  pids+=($!)
  export REDIS_URL="redis://127.0.0.1:$redis_port/0"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

.venv/bin/alembic upgrade head
[ -x scripts/prepare-assets.sh ] && scripts/prepare-assets.sh

# A Docker engine (installed and started when run as root on Debian), then the default
# notebook image: built in the background on the first run (a few minutes), so the website
# is up meanwhile; the notebooks page shows its progress. Without Docker, everything but
# notebooks still works.
if scripts/docker-engine.sh; then
  if ! docker image inspect workspace/jupyter:latest >/dev/null 2>&1; then
    echo "building the notebook image in the background (first run only; log: $WORKSPACE_DATA_DIR/build-images.log)"
    WORKSPACE_BUILD_STATUS_FILE="$WORKSPACE_DATA_DIR/image-build.json" \
      scripts/build-images.sh jupyter >"$WORKSPACE_DATA_DIR/build-images.log" 2>&1 &
  fi
fi

# Metrics of every api process and of the worker, added up at each scrape (app/core/metrics.py);
# emptied at each start, as prometheus-client's multiprocess mode requires.
export PROMETHEUS_MULTIPROC_DIR="$WORKSPACE_DATA_DIR/metrics"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

.venv/bin/arq worker.main.WorkerSettings &
pids+=($!)
# One api process per core (at most 4) unless WEB_CONCURRENCY says otherwise; `workspace serve`
# holds the one uvicorn configuration (app/server.py).
.venv/bin/workspace serve --host "$HOST" --port "$PORT" &
pids+=($!)
echo "WorkSpace: http://$HOST:$PORT (API docs at /docs)"
wait -n "${pids[@]}"
