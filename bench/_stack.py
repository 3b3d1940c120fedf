"""Shared bench helpers: a private WorkSpace stack and a lean client of the live feed.

Every bench runs on its own PostgreSQL database, Redis database 13 and the Docker instance
name `wsbench`, so it never touches the tests' or a developer's data and containers. The
api and the worker are real subprocesses (tests/support/processes.py); containers, volumes
and networks with our instance label are removed before and after, even when the bench
fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiodocker
import httpx
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from app.services.notebooks import engine_status
from tests.support.databases import drop_database, fresh_database
from tests.support.processes import (
    Service,
    api_service,
    free_port,
    process_alive,
    process_env,
    token_for,
    wait_http,
)
from tests.support.stack import WorkerProcess

ROOT = Path(__file__).resolve().parent.parent
# Overridable, with the database suffix below, so two people's benches on one machine (one
# Docker engine, one PostgreSQL) never remove each other's containers or databases.
INSTANCE = os.environ.get("WORKSPACE_BENCH_INSTANCE", "wsbench")
DATABASE_SUFFIX = os.environ.get("WORKSPACE_BENCH_PG_SUFFIX", "")
REDIS_URL = os.environ.get("WORKSPACE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PG_ADMIN_URL = os.environ.get(
    "WORKSPACE_BENCH_PG_ADMIN_URL", "postgresql://workspace:workspace@127.0.0.1:5432/postgres"
)
JUPYTER_IMAGE = "workspace/jupyter:latest"
TEST_IMAGE = "workspace/testnb:latest"
PASSWORD = "bench-password-long-enough"
LOCK_KEY = "wsbench:running"
DEFAULT_WORKER = "worker.main.WorkerSettings"
# As many api processes as `make run` starts (scripts/run.sh): one per core, at most 4.
API_PROCESSES = min(os.cpu_count() or 1, 4)


def __getattr__(name: str) -> Any:
    """`bench._stack.FastPollWorkerSettings`: the worker with arq polling its queue every
    10 ms instead of 500 ms (`--worker fast-poll`), to measure what that setting costs.
    Built lazily so importing this module does not configure the worker's logging."""
    if name == "FastPollWorkerSettings":
        from worker.main import WorkerSettings

        # arq reads a settings class's own __dict__ only (no inheritance): pass a dict.
        own = {k: v for k, v in vars(WorkerSettings).items() if not k.startswith("__")}
        return {**own, "poll_delay": 0.01}
    raise AttributeError(name)


WORKERS = {"default": DEFAULT_WORKER, "fast-poll": "bench._stack.FastPollWorkerSettings"}


# ---------------------------------------------------------------- statistics


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def load_average() -> str:
    """The host's 1/5/15-minute load averages (the machine is shared: say how busy)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# ---------------------------------------------------------------- the stack


async def remove_instance_resources(docker: aiodocker.Docker) -> int:
    """Remove every container, volume and network labelled with our instance; return how
    many."""
    label = f"workspace.instance={INSTANCE}"
    removed = 0
    for container in await docker.containers.list(all=True, filters=json.dumps({"label": [label]})):
        with contextlib.suppress(aiodocker.DockerError):
            await container.delete(force=True, v=True)
            removed += 1
    volumes = await docker.volumes.list(filters={"label": [label]})
    for volume in volumes.get("Volumes") or []:
        with contextlib.suppress(aiodocker.DockerError):
            await aiodocker.volumes.DockerVolume(docker, volume["Name"]).delete()
            removed += 1
    for network in await docker.networks.list(filters={"label": [label]}):
        with contextlib.suppress(aiodocker.DockerError):
            await (await docker.networks.get(network["Id"])).delete()
            removed += 1
    return removed


@dataclass
class Stack:
    settings: Settings
    base_url: str
    api: Service
    worker: WorkerProcess
    redis: Redis

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    async def user(self, username: str) -> str:
        """Create a user; return a fresh API token of theirs."""
        engine = make_engine(self.settings.sqlalchemy_url)
        async with make_sessionmaker(engine)() as db:
            await users.create_user(db, username, PASSWORD)
        await engine.dispose()
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as client:
            return await token_for(client, username, PASSWORD)

    def client(self, token: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )


async def _wait_docker_available(redis: Redis, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (await engine_status.read(redis))[0]:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the worker never reported Docker available")


def cancel_on_sigterm() -> None:
    """SIGTERM (e.g. from `timeout`) cancels the running bench like Ctrl-C does, so its
    cleanup still runs: processes stopped, containers, volumes and database removed."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)


@contextlib.asynccontextmanager
async def running_stack(
    database: str,
    *,
    worker: str = DEFAULT_WORKER,
    api_workers: int = API_PROCESSES,
    redis_url: str = REDIS_URL,
    make_worker: Callable[[Settings], WorkerProcess] | None = None,
    **overrides: Any,
) -> AsyncIterator[Stack]:
    """A migrated private database, a flushed Redis DB 13 (or `redis_url`), and api +
    worker processes (`api_workers` > 1: uvicorn --workers, each api process with its own
    subscription; `make_worker`: another worker than the `worker` settings in a process)."""
    cancel_on_sigterm()
    database += DATABASE_SUFFIX
    redis = Redis.from_url(redis_url, decode_responses=True)
    if not await redis.set(LOCK_KEY, str(os.getpid()), nx=True, ex=3600):
        holder = await redis.get(LOCK_KEY)
        if holder is not None and process_alive(int(holder)):
            await redis.aclose()
            raise SystemExit(f"another bench (pid {holder}) is using {redis_url}; one at a time")
        # Left by a bench that was killed outright: its containers are removed below.
    docker = aiodocker.Docker()
    data_dir = tempfile.TemporaryDirectory(prefix="wsbench-")
    api: Service | None = None
    worker_proc: WorkerProcess | None = None
    ok = False
    try:
        await redis.flushdb()
        await redis.set(LOCK_KEY, str(os.getpid()), ex=3600)
        await remove_instance_resources(docker)
        url = await fresh_database(database, PG_ADMIN_URL)
        port = free_port()
        settings = Settings(
            environment="test",
            secret_key="bench-secret-key",
            data_dir=Path(data_dir.name),
            database_url=url,
            redis_url=redis_url,
            instance=INSTANCE,
            notebook_images=[JUPYTER_IMAGE, TEST_IMAGE],
            notebook_idle_timeout_minutes=0,
            # The hand-off sends browsers between the dashboard and notebook origins by it.
            public_url=f"http://127.0.0.1:{port}",
            **overrides,
        )
        api = api_service(settings, port, workers=api_workers)
        worker_proc = (
            make_worker(settings)
            if make_worker is not None
            else Service("worker", [sys.executable, "-m", "arq", worker], process_env(settings))
        )
        await api.start()
        await worker_proc.start()
        base_url = f"http://127.0.0.1:{port}"
        await wait_http(f"{base_url}/api/health")
        await _wait_docker_available(redis)
        yield Stack(settings, base_url, api, worker_proc, redis)
        ok = True
    finally:
        if worker_proc is not None:
            await worker_proc.stop()
        if api is not None:
            await api.stop()
        if not ok:
            for name, service in (("api", api), ("worker", worker_proc)):
                if service is not None:
                    print(f"--- {name} output (tail) ---\n{service.output()[-4000:]}")
        removed = await remove_instance_resources(docker)
        if removed:
            print(f"cleanup: removed {removed} containers/volumes/networks labelled {INSTANCE}")
        await docker.close()
        with contextlib.suppress(Exception):
            await drop_database(database, PG_ADMIN_URL)
        with contextlib.suppress(Exception):
            await redis.flushdb()
        await redis.aclose()
        data_dir.cleanup()


# ---------------------------------------------------------------- Docker events


class DockerEvents:
    """This process's own subscription to our containers' events: for each (action,
    container id), Docker's `timeNano` and when the event reached us (time.time_ns())."""

    def __init__(self, docker: aiodocker.Docker, actions: list[str]) -> None:
        self.docker = docker
        self.seen: dict[tuple[str, str], tuple[int, int]] = {}
        self._changed = asyncio.Event()
        self._subscriber = docker.events.subscribe(
            filters=json.dumps(
                {
                    "type": ["container"],
                    "event": actions,
                    "label": [f"workspace.instance={INSTANCE}"],
                }
            )
        )
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            event = await self._subscriber.get()
            if event is None:
                return
            now = time.time_ns()
            key = (str(event.get("Action")), str((event.get("Actor") or {}).get("ID")))
            self.seen[key] = (int(event["timeNano"]), now)
            self._changed.set()

    async def wait(self, action: str, container_id: str, timeout: float) -> tuple[int, int]:
        async def find() -> tuple[int, int]:
            while (action, container_id) not in self.seen:
                self._changed.clear()
                await self._changed.wait()
            return self.seen[(action, container_id)]

        return await asyncio.wait_for(find(), timeout)

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self.docker.events.stop()


def fmt_ms(ns: float) -> str:
    return f"{ns / 1e6:8.1f}"
