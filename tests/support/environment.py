"""Where the tests find their services, from the environment: two suites (or a suite and a
bench) can share one machine by giving each its own database, Redis URL and instance name."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get(
    "WORKSPACE_TEST_PG_ADMIN_URL", "postgresql://workspace:workspace@127.0.0.1:5432/postgres"
)
PG_TEST_DB = os.environ.get("WORKSPACE_TEST_PG_DB", "workspace_test")
REDIS_TEST_URL = os.environ.get("WORKSPACE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# The schema sweep keeps one api and its state for a whole module: a database and a Redis
# database beside the suite's (same servers), so the per-test cleanup never wipes them.
SWEEP_PG_DB = f"{PG_TEST_DB}_sweep"
SWEEP_REDIS_URL = os.environ.get(
    "WORKSPACE_SWEEP_REDIS_URL", REDIS_TEST_URL.rsplit("/", 1)[0] + "/11"
)
# Names the containers, volumes and labels of the notebooks tests start.
INSTANCE = os.environ.get("WORKSPACE_TEST_INSTANCE", "wstest")
PASSWORD = "correct-horse-battery"
TEST_IMAGE = "workspace/testnb:latest"
JUPYTER_IMAGE = "workspace/jupyter:latest"
