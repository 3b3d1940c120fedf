#!/usr/bin/env bash
# Makes sure web/dist is built from the current sources (called by scripts/run.sh).
#   - `npm ci` when web/node_modules is missing or older than package-lock.json
#   - `npm run build` when web/dist is missing or older than any source file
# A fast no-op when both are up to date.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null; then
  if [ -f dist/index.html ]; then
    echo "prepare-assets: npm not found; serving the existing web/dist" >&2
    exit 0
  fi
  echo "prepare-assets: npm (Node.js 20+) is needed to build the dashboard: apt-get install nodejs npm" >&2
  exit 1
fi

stamp=node_modules/.package-lock.json   # written by npm ci/install
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "prepare-assets: installing web dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

sources=(src index.html package.json package-lock.json vite.config.ts tsconfig.json)
[ -d public ] && sources+=(public)
if [ ! -f dist/index.html ] || [ -n "$(find "${sources[@]}" -newer dist/index.html -print -quit)" ]; then
  echo "prepare-assets: building the dashboard (npm run build)"
  npm run --silent build
fi
