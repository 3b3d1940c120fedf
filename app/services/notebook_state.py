"""Recording a notebook's status: one row update (version + 1), then one live event.

Shared by the api (pending on create/start) and the worker (job and watcher), so every
transition is stored and published the same way.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.time import utcnow
from app.models.notebook import Notebook, NotebookPublic, Status
from app.services.events import Action, Event, publish
from app.services.notebook_status import can_move

log = logging.getLogger(__name__)


async def publish_notebook(redis: Redis, notebook: Notebook, action: Action) -> None:
    assert notebook.id is not None
    await publish(
        redis,
        Event(
            user_id=notebook.owner_id,
            topic="notebook",
            action=action,
            id=notebook.id,
            version=notebook.version,
            data=NotebookPublic.of(notebook).model_dump(mode="json"),
        ),
    )


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


async def transition(
    db: AsyncSession,
    redis: Redis,
    notebook_id: int,
    status: Status,
    *,
    reason: str | None = None,
    force: bool = False,
    **fields: Any,
) -> Notebook | None:
    """Move a notebook to `status` when the machine allows it; None when refused or gone."""
    for _ in range(5):  # lost races with the other writer are retried on fresh data
        notebook = await db.get(Notebook, notebook_id, populate_existing=True)
        if notebook is None:
            return None
        if not force and not can_move(notebook.status, status):
            log.debug("notebook %s: %s → %s refused", notebook_id, notebook.status, status)
            return None
        unchanged = notebook.status == status and notebook.status_reason == reason
        if unchanged and all(getattr(notebook, k) == v for k, v in fields.items()):
            return notebook
        saved = await save_changes(
            db, redis, notebook, "status", status=status, status_reason=reason, **fields
        )
        if saved is not None:
            return saved
    log.warning("notebook %s: gave up recording %s after repeated races", notebook_id, status)
    return None
