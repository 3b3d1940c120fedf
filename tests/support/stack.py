"""The real stack: api and worker processes on one set of settings, the Docker resources of
an instance name, and the stack's live-feed clients (tests/support/event_feed.py).

Plain code, no pytest: the tests' fixtures (tests/support/stack_fixtures.py) and the
benches (bench/_stack.py) both start their stacks with it, each on its own database, Redis
URL and instance name.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import aiodocker
import httpx
import websockets
from aiodocker.containers import DockerContainer
from redis.asyncio import Redis

from app.core import notebook_origin
from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from app.services.notebooks import engine_status
from tests.support import loopback
from tests.support.environment import PASSWORD
from tests.support.event_feed import EventFeed
from tests.support.processes import (
    WORKER_SETTINGS,
    Service,
    api_service,
    free_port,
    token_for,
    wait_http,
    worker_service,
)


def instance_label(instance: str) -> dict[str, list[str]]:
    """Docker's filter for what carries this instance's label (an exact match, so
    `wsbench` does not select `wsbench-proxy`)."""
    return {"label": [f"workspace.instance={instance}"]}


async def instance_containers(docker: aiodocker.Docker, instance: str) -> list[DockerContainer]:
    return await docker.containers.list(all=True, filters=json.dumps(instance_label(instance)))


async def remove_instance_resources(docker: aiodocker.Docker, instance: str) -> int:
    """Remove every container, volume and network labelled with `instance`; return how
    many (each notebook's own network goes after its container)."""
    removed = 0
    for container in await instance_containers(docker, instance):
        with contextlib.suppress(aiodocker.DockerError):
            await container.delete(force=True, v=True)
            removed += 1
    volumes = await docker.volumes.list(filters=instance_label(instance))
    for volume in volumes.get("Volumes") or []:
        with contextlib.suppress(aiodocker.DockerError):
            await aiodocker.volumes.DockerVolume(docker, volume["Name"]).delete()
            removed += 1
    for network in await docker.networks.list(filters=instance_label(instance)):
        with contextlib.suppress(aiodocker.DockerError):
            await (await docker.networks.get(network["Id"])).delete()
            removed += 1
    return removed


async def user_token(
    settings: Settings, base_url: str, username: str, *, admin: bool = False
) -> str:
    """Create a user in `settings`' database (`admin`: with admin rights); return a fresh API
    token of theirs from the api at `base_url`."""
    engine = make_engine(settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        await users.create_user(db, username, PASSWORD, is_admin=admin)
    await engine.dispose()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        return await token_for(client, username, PASSWORD)


class WorkerProcess(Protocol):
    """The worker as a process of this machine (Service) or a container on the test swarm
    (tests/support/swarm_worker.py)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def kill(self) -> None: ...

    def output(self) -> str: ...


WorkerFactory = Callable[[Settings], WorkerProcess]


def worker_process(worker: str = WORKER_SETTINGS) -> WorkerFactory:
    """Workers as processes here, on the arq settings `worker`."""
    return lambda settings: worker_service(settings, worker)


@dataclass
class Stack:
    settings: Settings
    base_url: str
    api: Service
    worker: WorkerProcess
    make_worker: WorkerFactory = field(default_factory=worker_process)
    clients: list[httpx.AsyncClient] = field(default_factory=list)
    feeds: list[EventFeed] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/api/events"

    async def token(self, username: str, *, admin: bool = False) -> str:
        """Create a user (`admin`: with admin rights); return a fresh API token of theirs."""
        return await user_token(self.settings, self.base_url, username, admin=admin)

    def client(self, token: str) -> httpx.AsyncClient:
        """A client of the api authenticated by `token`, closed with the stack."""
        client = httpx.AsyncClient(
            base_url=self.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )
        self.clients.append(client)
        return client

    async def user(self, username: str, *, admin: bool = False) -> httpx.AsyncClient:
        """Create a user; return a client authenticated as them by an API token."""
        return self.client(await self.token(username, admin=admin))

    async def feed(self, client: httpx.AsyncClient) -> EventFeed:
        """A live-feed client with `client`'s credentials, once it has its snapshot; closed
        with the stack."""
        connection = await websockets.connect(
            self.ws_url, additional_headers={"Authorization": client.headers["Authorization"]}
        )
        feed = EventFeed(connection)
        self.feeds.append(feed)
        await feed.wait_for(lambda m: m.get("type") == "snapshot", timeout=10)
        return feed

    def notebook_url(self, key: str) -> str:
        """The notebook's own origin (`http://{key}.nb.localhost:{port}`)."""
        return notebook_origin.origin(self.settings, key)

    def notebook_client(self, key: str, script: httpx.AsyncClient) -> httpx.AsyncClient:
        """A client of the notebook's origin with `script`'s API token."""
        client = loopback.client(base_url=self.notebook_url(key), timeout=30)
        client.headers["Authorization"] = script.headers["Authorization"]
        self.clients.append(client)
        return client

    async def restart(self, meanwhile: Callable[[], Awaitable[None]]) -> None:
        """Stop the api and the worker, run `meanwhile`, start both again."""
        await self.worker.stop()
        await self.api.stop()
        await meanwhile()
        self.api = api_service(self.settings, self.port)
        self.worker = self.make_worker(self.settings)
        await self.api.start()
        await self.worker.start()
        await wait_http(f"{self.base_url}/api/health")
        await wait_docker_available(self.settings.redis_url)

    async def restart_worker(self, *, crash: bool = False) -> None:
        await (self.worker.kill() if crash else self.worker.stop())
        self.worker = self.make_worker(self.settings)
        await self.worker.start()

    def output(self) -> str:
        api, worker = self.api.output(), self.worker.output()
        return f"--- api output ---\n{api}\n--- worker output ---\n{worker}"


async def wait_docker_available(redis_url: str, timeout: float = 120) -> None:
    """Until the worker has reported the Docker engine available on `redis_url`; a loaded
    machine may take a minute to import the worker."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (await engine_status.read(redis))[0]:
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("the worker never reported Docker available")
    finally:
        await redis.aclose()


@contextlib.asynccontextmanager
async def running_stack(
    settings: Settings,
    *,
    api_workers: int = 1,
    worker: str = WORKER_SETTINGS,
    make_worker: WorkerFactory | None = None,
) -> AsyncIterator[Stack]:
    """The api (`api_workers` processes, each with its own live-feed subscription) and the
    worker (a process on the arq settings `worker`, or what `make_worker` makes) on
    `settings`, once the api answers and the worker has found Docker. On exit its clients
    are closed and both stopped; when it fails, their output is printed."""
    port = free_port()
    # The hand-off sends browsers back and forth between the dashboard and notebook origins
    # by the public URL: it must name this api.
    settings = settings.model_copy(update={"public_url": f"http://127.0.0.1:{port}"})
    api = api_service(settings, port, workers=api_workers)
    make_worker = make_worker or worker_process(worker)
    stack = Stack(settings, f"http://127.0.0.1:{port}", api, make_worker(settings), make_worker)
    ok = False
    try:
        await stack.api.start()
        await stack.worker.start()
        await wait_http(f"{stack.base_url}/api/health")
        await wait_docker_available(settings.redis_url)
        yield stack
        ok = True
    finally:
        for feed in stack.feeds:
            await feed.close()
        for client in stack.clients:
            await client.aclose()
        await stack.worker.stop()
        await stack.api.stop()
        if not ok:
            print(stack.output())
