#!/usr/bin/env bash
# Regenerate the dashboard's API client from the api's OpenAPI schema.
#   scripts/gen-client.sh           dump web/openapi.json, regenerate web/src/client and workspace/models.py
#   scripts/gen-client.sh --check   same, then fail if either differs from what is committed
#   GEN_FROM_HEAD=1 scripts/gen-client.sh   use the committed app/ (ignores uncommitted backend edits)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY="uv run --frozen --project $ROOT python"
SRC=$ROOT
TMP_SRC=
trap 'rm -f web/openapi.json.tmp; [ -z "$TMP_SRC" ] || rm -rf "$TMP_SRC"' EXIT
if [ "${GEN_FROM_HEAD:-}" = 1 ]; then
  TMP_SRC=$(mktemp -d)
  SRC=$TMP_SRC
  git archive HEAD app | tar -x -C "$SRC"
fi

# The schema does not depend on the environment: build the app with fixed test settings.
(cd "$SRC" && $PY -) >web/openapi.json.tmp <<'PYEOF'
import json
from app.core.config import Settings
from app.main import create_app

settings = Settings(
    _env_file=None,
    environment="development",
    database_url="sqlite+aiosqlite:///:memory:",
)
print(json.dumps(create_app(settings).openapi(), indent=2, sort_keys=False))
PYEOF
mv web/openapi.json.tmp web/openapi.json
# The Python client's models (workspace/models.py), from the same schema.
$PY scripts/gen_models.py web/openapi.json workspace/models.py
$PY -m ruff format -q workspace/models.py

[ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund)
(cd web && npx --no-install openapi-ts >/dev/null)

if [ "${1:-}" = "--check" ]; then
  if ! git diff --exit-code --stat -- web/src/client web/openapi.json workspace/models.py \
     || [ -n "$(git ls-files --others --exclude-standard web/src/client web/openapi.json workspace/models.py)" ]; then
    echo "web/openapi.json, web/src/client or workspace/models.py is out of date: run scripts/gen-client.sh and commit" >&2
    exit 1
  fi
fi
