# The same commands locally and in CI. `make run` and `make test` are the README's quick start.
SHELL := /bin/bash
export UV_SYSTEM_CERTS := 1
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: run test install lint format migrate images

install:  ## Python dependencies from the lock file
	@command -v uv >/dev/null || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install -q uv
	$(UV) sync --frozen

run: install  ## The whole service on http://127.0.0.1:8000 with embedded defaults
	scripts/run.sh

migrate: install
	$(UV) run --frozen alembic upgrade head

PY_SOURCES := app worker workspace examples tests bench alembic scripts

lint: install  ## ruff, mypy --strict, and the synchronous client matches the asynchronous one
	$(UV) run --frozen ruff check $(PY_SOURCES)
	$(UV) run --frozen ruff format --check $(PY_SOURCES)
	$(UV) run --frozen mypy app worker workspace examples tests bench scripts
	$(UV) run --frozen python scripts/unasync.py --check

format: install
	$(UV) run --frozen python scripts/unasync.py
	$(UV) run --frozen ruff check --fix $(PY_SOURCES)
	$(UV) run --frozen ruff format $(PY_SOURCES)

images:  ## Notebook images (base, jupyter, testnb): minutes the first time, then seconds
	scripts/build-images.sh

test: lint images  ## Every test: lint, types, migrations, API, worker, browser
	$(UV) run --frozen pytest $(PYTEST_ARGS)
	$(MAKE) web-test

# ---------------------------------------------------------------- dashboard (web/)
.PHONY: web-install web-build web-test web-check-client

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed for web/" >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error

web-install: web/node_modules/.package-lock.json  ## Dashboard dependencies from web/package-lock.json

web-build: web-install  ## Build web/dist when it is missing or older than its sources
	scripts/prepare-assets.sh

web-check-client: install web-install  ## The committed API client matches the api's schema
	scripts/gen-client.sh --check

web-test: web-check-client  ## Dashboard: lint, types, unit tests, build, first-page size
	cd web && npm run --silent lint && npm run --silent typecheck && npm test
	scripts/prepare-assets.sh
	cd web && npm run --silent size
