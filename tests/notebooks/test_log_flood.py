"""A notebook writing 200 MB without a newline: the worker's log copier kept all of it
in memory, then stored it as one Redis entry. Both must stay bounded."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import aiodocker
from redis.asyncio import Redis

from app.services.notebooks import logs
from tests.attacks.sockets import rss_bytes
from tests.support.environment import REDIS_TEST_URL, TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.processes import Service
from tests.support.stack import Stack

MB = 1_000_000
FLOOD = 200 * MB


async def test_200_mb_without_a_newline_leaves_worker_and_redis_small(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    r = await alice.post("/api/notebooks", json={"name": "noisy", "image": TEST_IMAGE})
    notebook_id, key = r.json()["id"], r.json()["key"]
    await feed.wait_status(notebook_id, "healthy")
    container = await docker.containers.get(f"{stack.settings.instance}-nb-{key}")
    assert isinstance(stack.worker, Service) and stack.worker.process is not None
    worker_pid = stack.worker.process.pid
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    try:
        worker_before = rss_bytes(worker_pid)
        redis_before = int((await redis.info("memory"))["used_memory"])
        # The container's own output: what its main process writes to its stdout. (Docker
        # glues the line after a long one to it: "glued" takes that place.)
        command = (
            f"head -c {FLOOD} /dev/zero | tr '\\0' a > /proc/1/fd/1;"
            " printf '\\nglued\\nflood-done\\n' > /proc/1/fd/1"
        )
        run = await container.exec(["sh", "-c", command])
        async with run.start(detach=False) as stream:
            while await stream.read_out() is not None:
                pass
        deadline = time.monotonic() + 240
        peak = 0
        while True:
            peak = max(peak, rss_bytes(worker_pid))
            lines, _ = await logs.tail(redis, key, 5)
            if "flood-done" in lines:
                break
            assert time.monotonic() < deadline, "the log copier never got past the flood"
            await asyncio.sleep(0.5)
        redis_grown = int((await redis.info("memory"))["used_memory"]) - redis_before
        longest = max(len(line) for line in lines)
    finally:
        await redis.aclose()
    assert longest <= logs.MAX_LINE_CHARS + len(logs.TRUNCATED)
    assert peak - worker_before < 50 * MB, f"the worker grew by {(peak - worker_before) / MB} MB"
    assert redis_grown < 10 * MB, f"Redis grew by {redis_grown / MB:.0f} MB"
