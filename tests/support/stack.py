"""The real stack for tests: api and worker processes, Docker, Redis, PostgreSQL.

Containers and volumes are those of a test-only instance name, removed by label before and
after each test (even a failed one); a failed test prints the processes' and containers' logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import aiodocker
import httpx
import pytest
import websockets
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from app.services.notebooks import engine_status
from tests.support.environment import INSTANCE, JUPYTER_IMAGE, PASSWORD, REDIS_TEST_URL, TEST_IMAGE
from tests.support.processes import (
    Service,
    api_service,
    free_port,
    token_for,
    wait_http,
    worker_service,
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def stack_settings(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None
) -> Settings:
    return settings_factory(
        database_url,
        instance=INSTANCE,
        notebook_images=[TEST_IMAGE, JUPYTER_IMAGE],
        notebook_idle_timeout_minutes=0,
        notebook_default_memory_mb=256,
        notebook_default_cpus=0.5,
    )


async def remove_instance_resources(docker: aiodocker.Docker) -> None:
    label = json.dumps({"label": [f"workspace.instance={INSTANCE}"]})
    for container in await docker.containers.list(all=True, filters=label):
        with contextlib.suppress(aiodocker.DockerError):
            await container.delete(force=True)
    volumes = await docker.volumes.list(filters={"label": [f"workspace.instance={INSTANCE}"]})
    for volume in volumes.get("Volumes") or []:
        with contextlib.suppress(aiodocker.DockerError):
            await aiodocker.volumes.DockerVolume(docker, volume["Name"]).delete()


@pytest.fixture
async def docker(request: pytest.FixtureRequest) -> AsyncIterator[aiodocker.Docker]:
    client = aiodocker.Docker()
    await remove_instance_resources(client)
    yield client
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        label = json.dumps({"label": [f"workspace.instance={INSTANCE}"]})
        for container in await client.containers.list(all=True, filters=label):
            logs = await container.log(stdout=True, stderr=True, tail=60)
            print(f"--- container {container.id[:12]} logs ---\n{''.join(logs)}")
    await remove_instance_resources(client)
    await client.close()


@dataclass
class Stack:
    settings: Settings
    base_url: str
    api: Service
    worker: Service
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/api/events"

    async def user(self, username: str, *, admin: bool = False) -> httpx.AsyncClient:
        engine = make_engine(self.settings.sqlalchemy_url)
        async with make_sessionmaker(engine)() as db:
            await users.create_user(db, username, PASSWORD, is_admin=admin)
        await engine.dispose()
        client = httpx.AsyncClient(base_url=self.base_url, timeout=30)
        self.clients.append(client)
        client.headers["Authorization"] = f"Bearer {await token_for(client, username, PASSWORD)}"
        return client

    async def restart_worker(self, *, crash: bool = False) -> None:
        await (self.worker.kill() if crash else self.worker.stop())
        self.worker = worker_service(self.settings)
        await self.worker.start()


async def wait_docker_available(timeout: float = 120) -> None:
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (await engine_status.read(redis))[0]:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError("the worker never reported Docker available")
    finally:
        await redis.aclose()


@pytest.fixture
async def stack(
    stack_settings: Settings, docker: aiodocker.Docker, request: pytest.FixtureRequest
) -> AsyncIterator[Stack]:
    settings = stack_settings
    port = free_port()
    api, worker = api_service(settings, port), worker_service(settings)
    await api.start()
    await worker.start()
    s = Stack(settings, f"http://127.0.0.1:{port}", api, worker)
    try:
        await wait_http(f"{s.base_url}/api/health")
        await wait_docker_available()
        yield s
    finally:
        for client in s.clients:
            await client.aclose()
        await s.worker.stop()
        await s.api.stop()
        failed = getattr(request.node, "rep_call", None)
        if failed is None or failed.failed:
            print(
                f"--- api output ---\n{s.api.output()}\n--- worker output ---\n{s.worker.output()}"
            )


class EventFeed:
    """A WebSocket client of /api/events that records every message in order."""

    def __init__(self, connection: websockets.ClientConnection) -> None:
        self.connection = connection
        self.messages: list[dict[str, Any]] = []
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.connection:
                async with self._changed:
                    self.messages.append(json.loads(raw))
                    self._changed.notify_all()

    def statuses(self, notebook_id: int) -> list[str]:
        """The notebook's statuses in the order received, repeats folded."""
        seen: list[str] = []
        for m in self.messages:
            ours = m.get("type") == "event" and m.get("topic") == "notebook"
            if ours and m["id"] == notebook_id and (not seen or seen[-1] != m["data"]["status"]):
                seen.append(m["data"]["status"])
        return seen

    async def wait_for(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60
    ) -> dict[str, Any]:
        async def find() -> dict[str, Any]:
            async with self._changed:
                seen = 0
                while True:
                    for message in self.messages[seen:]:
                        if predicate(message):
                            return message
                    seen = len(self.messages)
                    await self._changed.wait()

        return await asyncio.wait_for(find(), timeout)

    async def wait_status(
        self, notebook_id: int, status: str, timeout: float = 60
    ) -> dict[str, Any]:
        def match(m: dict[str, Any]) -> bool:
            return (
                m.get("type") == "event"
                and m.get("topic") == "notebook"
                and m["id"] == notebook_id
                and m["data"]["status"] == status
            )

        try:
            return await self.wait_for(match, timeout)
        except TimeoutError:
            reasons = [
                m["data"].get("status_reason")
                for m in self.messages
                if m.get("type") == "event" and m.get("id") == notebook_id
            ]
            raise AssertionError(
                f"notebook {notebook_id} never became {status}; saw {self.statuses(notebook_id)}"
                f" (reasons: {[r for r in reasons if r]})"
            ) from None

    async def closed(self) -> None:
        """Until the server closes the connection."""
        await asyncio.shield(self._reader)

    async def close(self) -> None:
        await self.connection.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


@pytest.fixture
async def feed_for(stack: Stack) -> AsyncIterator[Callable[..., Any]]:
    feeds: list[EventFeed] = []

    async def open_feed(client: httpx.AsyncClient) -> EventFeed:
        connection = await websockets.connect(
            stack.ws_url, additional_headers={"Authorization": client.headers["Authorization"]}
        )
        feed = EventFeed(connection)
        feeds.append(feed)
        await feed.wait_for(lambda m: m.get("type") == "snapshot", timeout=10)
        return feed

    yield open_feed
    for feed in feeds:
        await feed.close()
