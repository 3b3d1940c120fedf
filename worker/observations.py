"""What each Docker event means for a notebook's row: one prebuilt conditional statement.

The watcher's path from a Docker event to the live feed is its latency, and on
it the SQL layer costs more than the database: building a statement, checking out a pooled
connection (with its ping), BEGIN and COMMIT. So the statements are built once, with bind
parameters, and run on the watcher's own connection in autocommit mode: one round trip,
atomic by itself. Each moves only a row that still tracks the event's container (the row
named by the notebook key on the container's labels), so events of a container being
replaced or removed change nothing.

On PostgreSQL they are also prepared on asyncpg's own connection: SQLAlchemy's layer over
asyncpg was a noticeable share of the whole path (bench/event_latency.py's `row`). SQLite
(`make run`'s default) goes through SQLAlchemy; the tests run every statement on both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import asyncpg
from sqlalchemy import String, Update, bindparam, case, cast
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from app.core.time import utcnow
from app.live.events import Event
from app.models.notebook import DesiredState, Notebook, NotebookPublic, Status
from app.services.notebooks.state import move_statement, notebook_event
from worker.engine_restart import REASON as ENGINE_REASON

ENGINE_DIE = "die: engine restart"

# What the live event needs of the moved row: its public fields and its owner.
_COLUMNS = [
    *(getattr(Notebook, name) for name in NotebookPublic.model_fields if name != "url"),
    Notebook.owner_id,
    Notebook.generation,  # for the converge job of a notebook the engine stopped
]


def _on(status: Status, **changes: Any) -> Update:
    return move_statement(
        col(Notebook.key) == bindparam("event_notebook_key"),
        status,
        now=bindparam("event_time"),
        tracking=bindparam("event_container_id"),
        **changes,
    ).returning(*_COLUMNS)


STATEMENTS: dict[str, Update] = {
    "start": _on(Status.starting),
    "health_status: healthy": _on(Status.healthy, health="healthy"),
    "health_status: unhealthy": _on(Status.unhealthy, health="unhealthy"),
    "oom": _on(
        Status.error,
        desired_state=DesiredState.stopped,
        reason="killed: out of memory (limit " + cast(col(Notebook.memory_mb), String) + " MB)",
    ),
    "die": _on(
        Status.stopped,
        # An error (say oom) explains more than the exit that follows it.
        not_from={Status.error},
        # Exiting is expected only after WorkSpace asked the container to stop.
        reason=case(
            (col(Notebook.status) == Status.stopping, None),
            else_=bindparam("exit_reason", type_=String),
        ),
        host_port=None,
        health=None,
        desired_state=DesiredState.stopped,
    ),
    # A `die` while the engine restarts (see worker/engine_restart.py): the notebook is to
    # start again, so its desired state stays running and it goes back to pending.
    ENGINE_DIE: _on(
        Status.pending,
        force=True,
        not_from={Status.stopping, Status.stopped, Status.removed, Status.error},
        only_if=col(Notebook.desired_state) == DesiredState.running,
        reason=ENGINE_REASON,
        container_id=None,
        host_port=None,
        health=None,
    ),
    "destroy": _on(
        Status.removed,
        force=True,
        container_id=None,
        host_port=None,
        desired_state=DesiredState.stopped,
        reason="container removed outside WorkSpace",
    ),
}


# What recording may raise when the database goes away, on either path.
DATABASE_ERRORS = (SQLAlchemyError, asyncpg.PostgresError, asyncpg.InterfaceError)

# Runs STATEMENTS[action] with these parameters: the moved row's columns, or None.
Run = Callable[[str, dict[str, Any]], Awaitable[Mapping[Any, Any] | None]]


class Recorder:
    """Records Docker events on one connection in autocommit mode (the watcher's)."""

    def __init__(self, run: Run) -> None:
        self._run = run

    @classmethod
    async def on(cls, db: AsyncConnection) -> Recorder:
        if db.dialect.driver == "asyncpg":
            return cls(await _prepared_on_asyncpg(db))
        return cls(_through_sqlalchemy(db))

    async def record(
        self, action: str, key: str, container_id: str, exit_code: str
    ) -> tuple[Event, int] | None:
        """Apply one Docker event to its notebook: the live event of the move and the row's
        generation, or None when nothing moved (an event that means nothing, refused,
        unchanged, another container)."""
        if action not in STATEMENTS:
            return None
        params: dict[str, Any] = {
            "event_notebook_key": key,
            "event_container_id": container_id,
            "event_time": utcnow(),
        }
        if action == "die":
            params["exit_reason"] = f"exited unexpectedly (exit code {exit_code})"
        row = await self._run(action, params)
        if row is None:
            return None
        event = notebook_event(row["owner_id"], NotebookPublic.of_row(row), "status")
        return event, int(row["generation"])


def _through_sqlalchemy(db: AsyncConnection) -> Run:
    async def run(action: str, params: dict[str, Any]) -> Mapping[Any, Any] | None:
        row = (await db.execute(STATEMENTS[action], params)).first()
        return None if row is None else row._mapping

    return run


async def _prepared_on_asyncpg(db: AsyncConnection) -> Run:
    """Each statement compiled by SQLAlchemy for this dialect and prepared once. The values
    go as they are, because ours need no conversion: ints, text, `StrEnum` members (stored
    by value) and aware datetimes."""
    connection: asyncpg.Connection = (await db.get_raw_connection()).driver_connection
    prepared = {}
    for action, statement in STATEMENTS.items():
        compiled = statement.compile(dialect=db.dialect)
        prepared[action] = (await connection.prepare(str(compiled)), compiled)

    async def run(action: str, params: dict[str, Any]) -> Mapping[Any, Any] | None:
        statement, compiled = prepared[action]
        values = compiled.construct_params(params)
        row = await statement.fetchrow(*(values[name] for name in compiled.positiontup or ()))
        return None if row is None else dict(row)

    return run
