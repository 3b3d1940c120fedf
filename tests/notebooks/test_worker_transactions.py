"""A worker transaction held open while its job waited on Docker and Jupyter: a migration's
exclusive lock (or a TRUNCATE) then queued behind it, the job's next statement queued
behind that, and nothing broke the cycle. No transaction may stay open across a wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiodocker
import asyncpg

from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack


async def test_a_migration_gets_its_lock_while_a_job_waits_for_jupyter(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    # Jupyter that takes its time: the job sits in its readiness wait meanwhile.
    body = {"name": "slow", "image": TEST_IMAGE, "env": {"TESTNB_START_DELAY": "45"}}
    r = await alice.post("/api/notebooks", json=body)
    assert r.status_code == 202, r.text
    notebook_id = r.json()["id"]
    await feed.wait_status(notebook_id, "starting")

    url = stack.settings.sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(url)
    try:
        idle = await connection.fetch(
            "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
        )
        assert idle == [], f"transactions left open: {idle}"
        async with connection.transaction():
            await connection.execute("SET LOCAL lock_timeout = '5s'")
            # What `ALTER TABLE notebooks ...` in a migration takes.
            await connection.execute("LOCK TABLE notebooks IN ACCESS EXCLUSIVE MODE")
    finally:
        await connection.close()
    await feed.wait_status(notebook_id, "healthy", timeout=120)
