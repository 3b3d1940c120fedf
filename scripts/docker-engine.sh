#!/usr/bin/env bash
# Makes sure a Docker engine answers, for `make run` (scripts/run.sh).
#
# Quiet and exit 0 when one answers. As root on Debian with none answering, installs
# docker.io when dockerd is missing, starts dockerd in the background with its log in
# $WORKSPACE_DATA_DIR/dockerd.log, and waits for it (it keeps running after `make run`
# stops: notebooks live in it). Otherwise prints one line saying what to do, and exits 1.
# An engine named by DOCKER_HOST or WORKSPACE_DOCKER_URL is never started here.
set -euo pipefail

DATA_DIR="${WORKSPACE_DATA_DIR:-data}"
WAIT_SECONDS="${WORKSPACE_DOCKER_WAIT_SECONDS:-60}"
if [ -n "${WORKSPACE_DOCKER_URL:-}" ] && [ -z "${DOCKER_HOST:-}" ]; then
  export DOCKER_HOST="$WORKSPACE_DOCKER_URL"
fi

answers() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }

answers && exit 0
if [ -n "${DOCKER_HOST:-}" ]; then
  echo "no Docker engine answers at $DOCKER_HOST: start it, or unset DOCKER_HOST/WORKSPACE_DOCKER_URL; notebooks are unavailable until then" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "no Docker engine answers: install one (Debian: apt-get install docker.io) and start dockerd; notebooks are unavailable until then (the rest works)" >&2
  exit 1
fi
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
  echo "installing docker.io (notebooks run in Docker)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null
fi
mkdir -p "$DATA_DIR"
echo "starting dockerd (log: $DATA_DIR/dockerd.log)"
# setsid: not in `make run`'s process group, so Ctrl-C there leaves the engine (and the
# notebooks in it) running.
setsid dockerd >>"$DATA_DIR/dockerd.log" 2>&1 < /dev/null &
for _ in $(seq "$((WAIT_SECONDS * 2))"); do
  answers && exit 0
  sleep 0.5
done
echo "dockerd did not answer within ${WAIT_SECONDS}s: see $DATA_DIR/dockerd.log; notebooks are unavailable until it does" >&2
exit 1
