"""Recording a notebook's status: one row update (version + 1), then one live event.

Shared by the api (pending on create/start) and the worker (job and watcher), so every
transition is stored and published the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import ColumnElement, Update, or_, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.time import utcnow
from app.live.events import Action, Event, publish
from app.models.notebook import Notebook, NotebookPublic, Status
from app.services.notebooks.status import can_move

log = logging.getLogger(__name__)


def notebook_event(owner_id: int, notebook: NotebookPublic, action: Action) -> Event:
    return Event(
        user_id=owner_id,
        topic="notebook",
        action=action,
        id=notebook.id,
        version=notebook.version,
        data=notebook.model_dump(mode="json"),
    )


async def publish_notebook(redis: Redis, notebook: Notebook, action: Action) -> None:
    await publish(redis, notebook_event(notebook.owner_id, NotebookPublic.of(notebook), action))


async def save_changes(
    db: AsyncSession, redis: Redis, notebook: Notebook, action: Action, **fields: Any
) -> Notebook | None:
    """Write `fields` if nobody changed the row since it was read (optimistic, by version)."""
    assert notebook.id is not None
    fields = {"updated_at": utcnow(), **fields, "version": notebook.version + 1}
    result = await db.exec(
        update(Notebook)
        .where(col(Notebook.id) == notebook.id, col(Notebook.version) == notebook.version)
        .values(**fields)
    )
    await db.commit()
    if result.rowcount != 1:
        return None
    fresh = await db.get(Notebook, notebook.id, populate_existing=True)
    if fresh is not None:
        await publish_notebook(redis, fresh, action)
    return fresh


def move_statement(
    which: ColumnElement[bool],
    status: Status,
    *,
    now: Any,
    reason: Any = None,
    force: bool = False,
    tracking: Any = None,
    not_from: Iterable[Status] = (),
    only_if: ColumnElement[bool] | None = None,
    **fields: Any,
) -> Update:
    """The conditional `UPDATE` that moves the notebook `which` selects (by id, or by key
    for the watcher) to `status` (add the `RETURNING`).

    The row moves only if the machine allows the move from its current status (any status
    with `force`, never one in `not_from`), if it still tracks container `tracking` (when
    given), if `only_if` holds (when given), and if something would change; its version
    goes up by one. No read comes
    first, so concurrent writers need no retry and a Docker event costs one statement.
    Values may be SQL expressions: `reason` a CASE over the row, or bind parameters for a
    statement built once and executed many times (the watcher's).
    """
    sources = [s for s in Status if s not in not_from and (force or can_move(s, status))]
    changes = {"status": status, "status_reason": reason, **fields}
    # `status = a OR status = b …` rather than `IN (…)`: SQLAlchemy expands an IN list's
    # parameters anew at every execution, which the watcher's prebuilt statements would
    # pay on every event.
    allowed = or_(*(col(Notebook.status) == source for source in sources))
    conditions = [which, allowed]
    if tracking is not None:
        conditions.append(col(Notebook.container_id) == tracking)
    if only_if is not None:
        conditions.append(only_if)
    differs = [getattr(Notebook, k).is_distinct_from(v) for k, v in changes.items()]
    return (
        update(Notebook)
        .where(*conditions, or_(*differs))
        .values(**changes, version=col(Notebook.version) + 1, updated_at=now)
    )


async def transition(
    db: AsyncSession,
    redis: Redis,
    notebook_id: int,
    status: Status,
    *,
    reason: str | ColumnElement[Any] | None = None,
    force: bool = False,
    tracking: str | None = None,
    not_from: Iterable[Status] = (),
    only_if: ColumnElement[bool] | None = None,
    **fields: Any,
) -> Notebook | None:
    """Move a notebook to `status` (see `move_statement`) and publish it.

    None when it did not move: refused, unchanged or gone.
    """
    statement = (
        move_statement(
            col(Notebook.id) == notebook_id,
            status,
            now=utcnow(),
            reason=reason,
            force=force,
            tracking=tracking,
            not_from=not_from,
            only_if=only_if,
            **fields,
        )
        .returning(Notebook)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    notebook: Notebook | None = (await db.execute(statement)).scalar_one_or_none()
    await db.commit()
    if notebook is None:
        log.debug(
            "notebook %s: → %s not recorded (refused, unchanged or gone)", notebook_id, status
        )
        return None
    await publish_notebook(redis, notebook, "status")
    return notebook
