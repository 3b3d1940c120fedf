"""The worker's part of the blog: publishing scheduled posts when they are due."""

from __future__ import annotations

import logging
from typing import Any

from arq import cron
from arq.cron import CronJob

from app.core.config import Settings
from app.services.blog.schedule import publish_due
from worker.context import WorkerContext

log = logging.getLogger("workspace.blog")


async def publish_due_posts(ctx: dict[str, Any]) -> int:
    wc = WorkerContext.of(ctx)
    async with wc.sessionmaker() as db:
        ids = await publish_due(db, wc.redis, wc.settings)
    if ids:
        log.info("published scheduled posts %s", ids)
    return len(ids)


def publish_cron(settings: Settings) -> CronJob:
    every = settings.blog_publish_check_seconds
    # At every `every` seconds of each minute (arq's cron has a one-second resolution), and
    # once at start so posts due while no worker ran go out at once.
    return cron(
        publish_due_posts,
        second=set(range(0, 60, every)),
        run_at_startup=True,
        unique=True,
        timeout=60,
        keep_result=0,
    )
