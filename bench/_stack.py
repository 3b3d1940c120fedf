"""Where a bench runs, and the stack it starts there.

Every bench has its own PostgreSQL database (created and migrated at start, dropped at the
end), a Redis database (flushed before and after; a lock key in it keeps two benches off
one database) and its own Docker instance name, held by a lock file for the whole run, so
it never touches the tests', a developer's or another bench's data and containers. The
processes are those of the tests (tests/support/stack.py): the api as `workspace serve`
runs it, the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiodocker
from redis.asyncio import Redis

from app.core.config import Settings
from app.server import default_workers
from tests.support import locks
from tests.support.databases import drop_database, fresh_database
from tests.support.environment import JUPYTER_IMAGE, TEST_IMAGE
from tests.support.processes import WORKER_SETTINGS, process_alive
from tests.support.stack import Stack, WorkerFactory, instance_label, remove_instance_resources
from tests.support.stack import running_stack as stack_on

# Each bench's Docker instance name is this prefix and its own suffix.
INSTANCE_PREFIX = os.environ.get("WORKSPACE_BENCH_INSTANCE", "wsbench")
REDIS_URL = os.environ.get("WORKSPACE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PG_ADMIN_URL = os.environ.get(
    "WORKSPACE_BENCH_PG_ADMIN_URL", "postgresql://workspace:workspace@127.0.0.1:5432/postgres"
)
# Each bench's database is this prefix and its own suffix (two checkouts on one server
# give each a prefix of its own).
DATABASE_PREFIX = os.environ.get("WORKSPACE_BENCH_PG_DB", "workspace_bench")
LOCK_KEY = "wsbench:running"
# As many api processes as `make run` starts.
API_PROCESSES = default_workers()


def __getattr__(name: str) -> Any:
    """`bench._stack.FastPollWorkerSettings`: the worker with arq polling its queue every
    10 ms instead of every 50 ms (`--worker fast-poll`), to measure what that costs.
    Built lazily so importing this module does not configure the worker's logging."""
    if name == "FastPollWorkerSettings":
        from worker.main import WorkerSettings

        # arq reads a settings class's own __dict__ only (no inheritance): pass a dict.
        own = {k: v for k, v in vars(WorkerSettings).items() if not k.startswith("__")}
        return {**own, "poll_delay": 0.01}
    raise AttributeError(name)


WORKERS = {"default": WORKER_SETTINGS, "fast-poll": "bench._stack.FastPollWorkerSettings"}


def database(suffix: str) -> str:
    return f"{DATABASE_PREFIX}_{suffix}"


def instance_name(suffix: str) -> str:
    return f"{INSTANCE_PREFIX}-{suffix}"


@contextlib.contextmanager
def hold_instance(instance: str) -> Iterator[None]:
    """A lock file of this host for `instance`, held until exit: a bench removes every
    container of its instance before and after it runs, so two runs of one instance (from
    any checkout, on any Redis) must not overlap."""
    path = Path(tempfile.gettempdir()) / f"workspace-bench-{instance}.lock"
    try:
        with locks.exclusive(path, f"bench of instance {instance}"):
            yield
    except locks.Held as exc:
        raise SystemExit(str(exc)) from None


def cancel_on_sigterm() -> None:
    """SIGTERM (e.g. from `timeout`) cancels the running bench like Ctrl-C does, so its
    cleanup still runs: processes stopped, containers, volumes and database removed."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)


@contextlib.asynccontextmanager
async def bench_settings(
    suffix: str, *, redis_url: str = REDIS_URL, **overrides: Any
) -> AsyncIterator[Settings]:
    """Settings on database `database(suffix)`, fresh and migrated, `redis_url`, held and
    flushed, and instance `instance_name(suffix)`, held; emptied again on exit."""
    cancel_on_sigterm()
    instance = instance_name(suffix)
    with hold_instance(instance):
        async with _on_redis(suffix, redis_url, instance, overrides) as settings:
            yield settings


@contextlib.asynccontextmanager
async def _on_redis(
    suffix: str, redis_url: str, instance: str, overrides: dict[str, Any]
) -> AsyncIterator[Settings]:
    """`bench_settings` once the instance is held: Redis, the database, the data dir."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    if not await redis.set(LOCK_KEY, str(os.getpid()), nx=True, ex=3600):
        holder = await redis.get(LOCK_KEY)
        if holder is not None and process_alive(int(holder)):
            await redis.aclose()
            raise SystemExit(f"another bench (pid {holder}) is using {redis_url}; one at a time")
        # Left by a bench that was killed outright: its containers are removed by the caller.
    data_dir = tempfile.TemporaryDirectory(prefix=f"{instance}-")
    name = database(suffix)
    try:
        await redis.flushdb()
        await redis.set(LOCK_KEY, str(os.getpid()), ex=3600)
        values: dict[str, Any] = {
            "environment": "test",
            "secret_key": "bench-secret-key",
            "data_dir": Path(data_dir.name),
            "database_url": await fresh_database(name, PG_ADMIN_URL),
            "redis_url": redis_url,
            "instance": instance,
            "notebook_images": [JUPYTER_IMAGE, TEST_IMAGE],
            "notebook_idle_timeout_minutes": 0,
        }
        yield Settings(_env_file=None, **(values | overrides))
    finally:
        with contextlib.suppress(Exception):
            await drop_database(name, PG_ADMIN_URL)
        with contextlib.suppress(Exception):
            await redis.flushdb()
        await redis.aclose()
        data_dir.cleanup()


@contextlib.asynccontextmanager
async def running_stack(
    suffix: str,
    *,
    worker: str = WORKER_SETTINGS,
    api_workers: int = API_PROCESSES,
    make_worker: WorkerFactory | None = None,
    **options: Any,
) -> AsyncIterator[Stack]:
    """The api and the worker (`make_worker`: another than a process on `worker`) on
    `bench_settings(suffix, **options)`; every container and volume of the instance is
    removed before and after, also on failure, Ctrl-C or SIGTERM. BENCH_SHOW_OUTPUT=1
    prints the processes' output even when all went well."""
    async with bench_settings(suffix, **options) as settings:
        docker = aiodocker.Docker()
        try:
            await remove_instance_resources(docker, settings.instance)
            async with stack_on(
                settings, api_workers=api_workers, worker=worker, make_worker=make_worker
            ) as stack:
                yield stack
            if os.environ.get("BENCH_SHOW_OUTPUT"):
                print(stack.output())
        finally:
            removed = await remove_instance_resources(docker, settings.instance)
            if removed:
                print(f"cleanup: removed {removed} containers/volumes labelled {settings.instance}")
            await docker.close()


class DockerEvents:
    """This process's own subscription to an instance's container events: for each (action,
    container id), Docker's `timeNano` and when the event reached us (time.time_ns())."""

    def __init__(self, docker: aiodocker.Docker, actions: list[str], instance: str) -> None:
        self.docker = docker
        self.instance = instance
        self.seen: dict[tuple[str, str], tuple[int, int]] = {}
        self._changed = asyncio.Event()
        filters = {"type": ["container"], "event": actions, **instance_label(instance)}
        self._subscriber = docker.events.subscribe(filters=json.dumps(filters))
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
