"""The scrape: every process's metrics, and the values read at that moment (notebooks by
status from the database, the job queue's depth from Redis)."""

from __future__ import annotations

from arq.constants import default_queue_name
from redis.asyncio import Redis
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.metrics import render, snapshot_gauges
from app.models.notebook import DesiredState, Notebook


async def scrape(db: AsyncSession, redis: Redis) -> bytes:
    rows = await db.exec(
        select(Notebook.status, func.count())
        .where(Notebook.desired_state != DesiredState.deleted)
        .group_by(col(Notebook.status))
    )
    by_status = {str(getattr(s, "value", s)): int(count) for s, count in rows.all()}
    depth = int(await redis.zcard(default_queue_name))
    return render(snapshot_gauges(by_status, depth))
