"""The watcher's prebuilt statements, on both databases (`make run` uses SQLite).

Each Docker event is one statement on an autocommit connection; these pin what it stores.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from fastapi import FastAPI

from app.models.notebook import DesiredState, Status
from tests.api.test_notebook_transition import make_notebook, stored
from worker import engine_restart, observations

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
async def recorder(app: FastAPI) -> AsyncIterator[observations.Recorder]:
    """As the watcher records: prepared on asyncpg under PostgreSQL, SQLAlchemy on SQLite."""
    async with app.state.engine.connect() as connection:
        db = await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield await observations.Recorder.on(db)


async def test_health_events_move_a_starting_notebook(
    app: FastAPI, recorder: observations.Recorder
) -> None:
    notebook = await make_notebook(app, status=Status.starting, container_id="c1")
    assert notebook.id is not None
    recorded = await recorder.record("health_status: healthy", notebook.id, "c1", "?")
    assert recorded is not None
    moved, generation = recorded
    assert moved.data is not None and generation == notebook.generation
    assert (moved.data["status"], moved.data["health"]) == ("healthy", "healthy")
    row = await stored(app, notebook.id)
    assert row.version == 2 and row.updated_at > notebook.updated_at
    assert (moved.user_id, moved.id, moved.version) == (row.owner_id, row.id, 2)
    assert datetime.fromisoformat(moved.data["updated_at"]) == row.updated_at
    again = await recorder.record("health_status: healthy", notebook.id, "c1", "?")
    assert again is None, "the same health twice is not a change"


@pytest.mark.parametrize(
    ("before", "reason"),
    [
        (Status.healthy, "exited unexpectedly (exit code 137)"),
        (Status.stopping, None),
    ],
)
async def test_die_stops_with_a_reason_unless_a_stop_was_asked(
    app: FastAPI, recorder: observations.Recorder, before: Status, reason: str | None
) -> None:
    notebook = await make_notebook(app, status=before, container_id="c1", host_port=40001)
    assert notebook.id is not None
    moved = await recorder.record("die", notebook.id, "c1", "137")
    assert moved is not None
    row = await stored(app, notebook.id)
    assert (row.status, row.status_reason, row.host_port) == (Status.stopped, reason, None)
    assert row.desired_state == DesiredState.stopped


async def test_die_after_oom_keeps_the_oom_reason(
    app: FastAPI, recorder: observations.Recorder
) -> None:
    notebook = await make_notebook(app, status=Status.healthy, container_id="c1")
    assert notebook.id is not None
    assert await recorder.record("oom", notebook.id, "c1", "?") is not None
    assert await recorder.record("die", notebook.id, "c1", "137") is None
    row = await stored(app, notebook.id)
    assert (row.status, row.status_reason) == (Status.error, "killed: out of memory (limit 256 MB)")


async def test_destroy_forgets_the_container(app: FastAPI, recorder: observations.Recorder) -> None:
    notebook = await make_notebook(app, status=Status.stopped, container_id="c1")
    assert notebook.id is not None
    recorded = await recorder.record("destroy", notebook.id, "c1", "?")
    assert recorded is not None
    moved = recorded[0]
    assert moved.data is not None and moved.data["status"] == "removed"
    row = await stored(app, notebook.id)
    assert (row.status, row.container_id) == (Status.removed, None)


async def test_a_die_while_the_engine_restarts_keeps_the_notebook_running(
    app: FastAPI, recorder: observations.Recorder
) -> None:
    notebook = await make_notebook(app, status=Status.healthy, container_id="c1", host_port=1)
    assert notebook.id is not None
    recorded = await recorder.record(observations.ENGINE_DIE, notebook.id, "c1", "0")
    assert recorded is not None
    row = await stored(app, notebook.id)
    assert (row.status, row.desired_state) == (Status.pending, DesiredState.running)
    assert row.status_reason == engine_restart.REASON
    assert (row.container_id, row.host_port) == (None, None)


@pytest.mark.parametrize(
    ("before", "desired"),
    [
        (Status.stopping, DesiredState.running),
        (Status.stopped, DesiredState.running),
        (Status.healthy, DesiredState.stopped),
    ],
)
async def test_a_die_while_the_engine_restarts_leaves_a_stop_alone(
    app: FastAPI, recorder: observations.Recorder, before: Status, desired: DesiredState
) -> None:
    notebook = await make_notebook(app, status=before, container_id="c1", desired_state=desired)
    assert notebook.id is not None
    assert await recorder.record(observations.ENGINE_DIE, notebook.id, "c1", "0") is None


@pytest.mark.parametrize("action", ["start", "die", "oom", "destroy", "health_status: healthy"])
async def test_events_of_a_container_the_row_does_not_track_change_nothing(
    app: FastAPI, recorder: observations.Recorder, action: str
) -> None:
    notebook = await make_notebook(app, status=Status.creating, container_id="new")
    assert notebook.id is not None
    assert await recorder.record(action, notebook.id, "old", "0") is None
    row = await stored(app, notebook.id)
    assert (row.status, row.version, row.container_id) == (Status.creating, 1, "new")
