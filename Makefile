# The same commands locally and in CI. `make run` and `make test` are the README's quick start.
SHELL := /bin/bash
export UV_SYSTEM_CERTS := 1
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: run test install lint format migrate worker api clean

install:  ## Python dependencies from the lock file
	@command -v uv >/dev/null || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install -q uv
	$(UV) sync --frozen

run: install  ## The whole service on http://127.0.0.1:8000 with embedded defaults
	scripts/run.sh

migrate: install
	$(UV) run --frozen alembic upgrade head

lint: install
	$(UV) run --frozen ruff check app worker tests bench alembic
	$(UV) run --frozen ruff format --check app worker tests bench alembic
	$(UV) run --frozen mypy app worker tests bench

format: install
	$(UV) run --frozen ruff check --fix app worker tests bench alembic
	$(UV) run --frozen ruff format app worker tests bench alembic

test: lint  ## Every test: lint, types, migrations, API, worker, browser
	$(UV) run --frozen pytest $(PYTEST_ARGS)
