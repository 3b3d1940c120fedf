"""What jobs and the watcher share in a worker process, opened once in arq's startup."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiodocker
import httpx
from arq import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from worker.docker import NotebookDocker
from worker.runtime.base import NotebookRuntime
from worker.runtime.docker import DockerRuntime
from worker.runtime.swarm import SwarmRuntime

LOCK_SECONDS = 6


@dataclass
class WorkerContext:
    settings: Settings
    engine: AsyncEngine  # the watcher holds one connection of its own
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis  # decoded-strings client for our own keys and events
    queue: ArqRedis  # arq's pool, for enqueueing follow-up jobs
    runtime: NotebookRuntime  # one Docker engine or a Swarm (WORKSPACE_RUNTIME)
    http: httpx.AsyncClient
    # Where the worker reaches published container ports (another host when in compose).
    container_host: str = "127.0.0.1"

    @classmethod
    def of(cls, ctx: dict[str, Any]) -> WorkerContext:
        context: WorkerContext = ctx["workspace"]
        return context

    @contextlib.asynccontextmanager
    async def notebook_lock(self, key: str) -> AsyncIterator[None]:
        """One converge at a time per notebook, across all workers.

        The lock is short-lived and kept alive while held, so a worker that dies mid-job
        frees it within seconds rather than after a long timeout.
        """
        lock = self.redis.lock(
            f"workspace:lock:notebook:{key}", timeout=LOCK_SECONDS, blocking_timeout=600
        )
        if not await lock.acquire():
            raise TimeoutError(f"notebook {key} is locked by another job")

        async def keep_alive() -> None:
            while True:
                await asyncio.sleep(LOCK_SECONDS / 3)
                await lock.reacquire()

        keeper = asyncio.create_task(keep_alive())
        try:
            yield
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await keeper
            with contextlib.suppress(Exception):
                await lock.release()


def make_runtime(settings: Settings) -> NotebookRuntime:
    """The runtime WORKSPACE_RUNTIME names, on the engine WORKSPACE_DOCKER_URL names."""
    client = (
        aiodocker.Docker(url=settings.docker_url) if settings.docker_url else aiodocker.Docker()
    )
    if settings.runtime == "swarm":
        return SwarmRuntime(client, settings)
    return DockerRuntime(NotebookDocker(client, settings.instance), settings)
