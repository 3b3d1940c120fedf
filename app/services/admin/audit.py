"""The audit log: every administrative action is recorded here, by the service doing it."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.audit import AuditEntry, AuditEntryPublic, AuditPage
from app.models.user import User


async def record(db: AsyncSession, actor: User, action: str, target: str, **details: Any) -> None:
    db.add(
        AuditEntry(
            actor_id=actor.id, actor=actor.username, action=action, target=target, details=details
        )
    )
    await db.commit()


async def page(db: AsyncSession, *, limit: int, offset: int, action: str | None) -> AuditPage:
    query = select(AuditEntry)
    counting = select(func.count()).select_from(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
        counting = counting.where(AuditEntry.action == action)
    rows = await db.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit).offset(offset))
    count = int((await db.exec(counting)).one())
    return AuditPage(data=[AuditEntryPublic.model_validate(r) for r in rows.all()], count=count)
