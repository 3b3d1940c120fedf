"""Every user's notebooks, for admins: list them, stop or delete any (through the notebooks
service, so the owner sees the change live and the worker converges it as usual)."""

from __future__ import annotations

from arq import ArqRedis
from redis.asyncio import Redis
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.models.admin import AdminNotebook
from app.models.notebook import DesiredState, Notebook, NotebookPublic
from app.models.user import User
from app.services.admin import audit
from app.services.notebooks import notebooks


def _admin_view(notebook: Notebook, owner: str) -> AdminNotebook:
    return AdminNotebook(
        **NotebookPublic.of(notebook).model_dump(), owner_id=notebook.owner_id, owner=owner
    )


async def list_all(db: AsyncSession) -> list[AdminNotebook]:
    rows = await db.exec(
        select(Notebook, User.username)
        .join(User, col(User.id) == col(Notebook.owner_id))
        .where(Notebook.desired_state != DesiredState.deleted)
        .order_by(col(Notebook.id))
    )
    return [_admin_view(notebook, owner) for notebook, owner in rows.all()]


async def _owner_name(db: AsyncSession, notebook: Notebook) -> str:
    owner = await db.get(User, notebook.owner_id)
    return owner.username if owner else "?"


async def stop_or_delete(
    db: AsyncSession,
    redis: Redis,
    queue: ArqRedis,
    settings: Settings,
    actor: User,
    notebook_id: int,
    *,
    delete: bool,
    purge: bool = False,
) -> AdminNotebook:
    """Stop (`delete` false) or delete any user's notebook, and record it in the audit log."""
    desired = DesiredState.deleted if delete else DesiredState.stopped
    saved = await notebooks.stop_or_delete_any(
        db,
        redis,
        queue,
        settings,
        notebook_id,
        desired,
        purge=purge,
        reason=(
            f"deleted by the administrator {actor.username}"
            if delete
            else f"stopped: by the administrator {actor.username}"
        ),
    )
    owner = await _owner_name(db, saved)
    subject = f"notebook {notebook_id} ({saved.name})"
    if delete:
        await audit.record(
            db, actor, "notebook.delete", subject, owner=owner, purge=saved.purge_volume
        )
    else:
        await audit.record(db, actor, "notebook.stop", subject)
    return _admin_view(saved, owner)
