"""The arq worker: `arq worker.main.WorkerSettings`.

Runs the converge jobs and, in the background, the Docker event watcher (one active among
all workers).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Any, ClassVar

import httpx
import uvloop

import app.models.all  # noqa: F401  (every table on SQLModel.metadata: the ORM resolves foreign keys)
from app.core import datadir
from app.core.config import get_settings
from app.core.db import Timeouts, make_engine, make_sessionmaker
from app.core.logs import configure as configure_logging
from app.core.metrics import process_exited
from app.core.queue import deserialize, redis_settings, serialize
from app.core.redis import make_redis
from worker import metrics_server
from worker.blog import publish_cron
from worker.context import WorkerContext, make_runtime
from worker.jobs import converge_notebook, forget_notebook
from worker.watcher import Watcher

# arq runs the loop asyncio gives it: make that uvloop, as uvicorn does for the api, for the
# watcher's latency-bound event path and the jobs' many small Docker and Redis calls.
asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

configure_logging(get_settings())


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    datadir.owner_only_files()
    datadir.secure(settings.data_dir)
    engine = make_engine(
        settings.sqlalchemy_url, timeouts=Timeouts.of(settings), name="workspace-worker"
    )
    wc = WorkerContext(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        redis=make_redis(settings.redis_url),
        queue=ctx["redis"],
        runtime=make_runtime(settings),
        container_host=settings.container_host,
        # One pooled client for every readiness poll and idle check.
        http=httpx.AsyncClient(timeout=5.0),
    )
    ctx["workspace"] = wc
    if settings.metrics_address:
        ctx["metrics"] = await metrics_server.serve(wc, settings.metrics_address)
    ctx["watcher"] = asyncio.create_task(Watcher(wc).run(), name="docker-watcher")


async def shutdown(ctx: dict[str, Any]) -> None:
    watcher: asyncio.Task[None] = ctx["watcher"]
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    wc = WorkerContext.of(ctx)
    if "metrics" in ctx:
        ctx["metrics"].close()
    process_exited(os.getpid())
    await wc.http.aclose()
    await wc.runtime.close()
    await wc.redis.aclose()
    await wc.engine.dispose()


class WorkerSettings:
    functions: ClassVar[list[Any]] = [converge_notebook, forget_notebook]
    cron_jobs: ClassVar[list[Any]] = [publish_cron(get_settings())]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings(get_settings().redis_url)
    job_serializer = serialize
    job_deserializer = deserialize
    # arq polls its queue every 0.5 s by default: on average a quarter second added to
    # every start. A tenth of that removes most of the wait for little idle CPU; a shorter
    # delay saves a little more time for several times the idle CPU (bench/notebook_spawn.py
    # --worker fast-poll shows it).
    poll_delay = 0.05
    job_timeout = 300
    max_tries = 5
    keep_result = 3600
