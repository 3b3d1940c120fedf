"""With several workers, one watcher leads; when it dies, another takes over."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiodocker
from redis.asyncio import Redis

from tests.notebooks.test_lifecycle import ours
from tests.support.environment import REDIS_TEST_URL, TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.processes import Service, worker_service
from tests.support.stack import Stack
from worker.watcher import LEADER_KEY


async def leader_pid(redis: Redis) -> int | None:
    value = await redis.get(LEADER_KEY)
    return int(value.rsplit(":", 1)[1]) if value else None


async def test_one_watcher_leads_and_another_takes_over_when_it_dies(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    second = worker_service(stack.settings)
    await second.start()
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    try:
        alice = await stack.user("alice")
        feed: EventFeed = await feed_for(alice)
        nb = (await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})).json()
        await feed.wait_status(nb["id"], "healthy")

        first = stack.worker
        assert isinstance(first, Service) and first.process and second.process
        workers = {first.process.pid: first, second.process.pid: second}
        for _ in range(150):  # a lease left by an earlier process may take a moment to lapse
            leader = await leader_pid(redis)
            if leader in workers:
                break
            await asyncio.sleep(0.1)
        assert leader in workers
        await workers[leader].kill()
        follower = next(pid for pid in workers if pid != leader)
        for _ in range(200):
            if await leader_pid(redis) == follower:
                break
            await asyncio.sleep(0.1)
        assert await leader_pid(redis) == follower

        # The new leader follows Docker: a kill from outside still shows up.
        (info,) = await ours(docker, nb["key"])
        await docker.containers.container(info["Id"]).kill()
        await feed.wait_status(nb["id"], "stopped", timeout=10)
    finally:
        await second.stop()
        await redis.aclose()
