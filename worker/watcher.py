"""The event watcher: the runtime's unit events become notebook status transitions.

Follows the runtime's event stream (Docker's for our labelled containers, or what Swarm
reports of our services' tasks; each event one statement, see worker/observations.py),
reconnecting with backoff when the engine, Redis or the database goes away and
reconciling after every (re)connect. Only one watcher is active among all
workers: leadership is a short Redis lease, renewed while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from datetime import datetime

import aiodocker
from redis.asyncio.lock import Lock
from redis.exceptions import LockNotOwnedError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from app.core.metrics import EVENT_PUBLISH_SECONDS
from app.core.queue import enqueue_converge
from app.live.events import publish
from app.models.notebook import Notebook
from app.services.notebooks import engine_status, logs
from worker import engine_restart, images, observations
from worker.context import WorkerContext
from worker.idle import stop_idle_notebooks
from worker.reconcile import reconcile
from worker.runtime.base import DIE, START, RuntimeEvent
from worker.spec import resource_name

log = logging.getLogger(__name__)
LEADER_KEY = "workspace:watcher-leader"
LEASE_SECONDS = 10
RECONCILE_EVERY_SECONDS = 60.0


class Watcher:
    def __init__(self, wc: WorkerContext) -> None:
        self.wc = wc
        self.identity = f"{socket.gethostname()}:{os.getpid()}"
        self._log_tasks: dict[str, asyncio.Task[None]] = {}
        self.engine = engine_restart.EngineLoss()

    async def run(self) -> None:
        """Wait to lead, then watch; give way if the lease is lost."""
        while True:
            lease = self.wc.redis.lock(LEADER_KEY, timeout=LEASE_SECONDS)
            try:
                if await lease.acquire(blocking=False, token=self.identity):
                    log.info("watcher %s leads", self.identity)
                    await self._lead(lease)
                else:
                    await asyncio.sleep(LEASE_SECONDS / 3)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("watcher: Redis unavailable; retrying", exc_info=True)
                await asyncio.sleep(2)

    async def _lead(self, lease: Lock) -> None:
        await self.engine.first_start(self.wc.redis)
        watch = asyncio.create_task(self._watch_forever())
        try:
            while not watch.done():
                await asyncio.sleep(LEASE_SECONDS / 3)
                try:
                    # Atomic: renews the lease only while it still holds our token.
                    await lease.reacquire()
                except LockNotOwnedError:
                    log.warning("watcher lease lost")
                    return
        finally:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
            for task in self._log_tasks.values():
                task.cancel()
            self._log_tasks.clear()
            # Hand over at once on a clean stop, instead of after the lease runs out.
            with contextlib.suppress(Exception):
                await lease.release()

    async def _watch_forever(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self._watch()
                backoff = 0.5
                continue
            except asyncio.CancelledError:
                raise
            except observations.DATABASE_ERRORS as exc:
                log.warning("watcher: database unavailable (%s); retrying in %.1fs", exc, backoff)
            except Exception as exc:
                self.engine.lost()
                log.warning("watcher: Docker unavailable (%s); retrying in %.1fs", exc, backoff)
                with contextlib.suppress(Exception):
                    await engine_status.report(self.wc.redis, available=False, error=str(exc))
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10.0)

    async def _watch(self) -> None:
        runtime = self.wc.runtime
        await runtime.ping()  # fails fast when the engine is not there
        await engine_status.report(self.wc.redis, available=True)
        lost_at = self.engine.connected()
        async with runtime.events() as stream, self.wc.engine.connect() as connection:
            db = await connection.execution_options(isolation_level="AUTOCOMMIT")
            recorder = await observations.Recorder.on(db)
            await self._reconcile(engine_lost_at=lost_at)
            await engine_restart.seen(self.wc.redis)
            periodic = asyncio.create_task(self._periodic())
            reporting = asyncio.create_task(self._report_images())
            try:
                while True:
                    event = await stream.get()
                    if event is None:
                        raise ConnectionError("the engine's event stream ended")
                    await self.handle(db, recorder, event)
            finally:
                periodic.cancel()
                reporting.cancel()

    async def _periodic(self) -> None:
        """Keep the api's view of Docker fresh, reconcile now and then, stop idle notebooks."""
        tick = min(engine_status.TTL_SECONDS / 3, self.wc.settings.notebook_idle_check_seconds)
        since_reconcile = since_idle_check = 0.0
        while True:
            await asyncio.sleep(tick)
            await engine_status.report(self.wc.redis, available=True)
            await engine_restart.seen(self.wc.redis)
            since_reconcile += tick
            since_idle_check += tick
            if since_reconcile >= RECONCILE_EVERY_SECONDS:
                since_reconcile = 0.0
                await self._reconcile()
            if since_idle_check >= self.wc.settings.notebook_idle_check_seconds:
                since_idle_check = 0.0
                await stop_idle_notebooks(self.wc)

    async def _report_images(self) -> None:
        while True:
            try:
                await images.report(self.wc)
            except asyncio.CancelledError:
                raise
            except Exception:  # the event loop notices a lost engine; this only reports
                log.debug("image report failed", exc_info=True)
            await asyncio.sleep(images.EVERY_SECONDS)

    async def _reconcile(self, *, engine_lost_at: datetime | None = None) -> None:
        counts = await reconcile(self.wc, engine_lost_at=engine_lost_at)
        if any(counts.values()):
            log.info("reconcile: %s", counts)
        for unit in await self.wc.runtime.list_units():
            if unit.running and unit.key:
                self._follow_logs(unit.key, unit.name, unit.id)

    async def handle(
        self, db: AsyncConnection, recorder: observations.Recorder, event: RuntimeEvent
    ) -> None:
        """One event of a unit → at most one transition of the notebook it belongs to."""
        key, unit_id = event.key, event.unit_id
        if event.action == START and await self._tracks(db, key, unit_id):
            self._follow_logs(key, resource_name(self.wc.settings, key), unit_id)
        moved = None
        if event.action == DIE and self.engine.in_grace():
            # The engine just came back and is stopping what it ran before: start it again.
            moved = await recorder.record(observations.ENGINE_DIE, key, unit_id, event.exit_code)
            if moved is not None:
                await publish(self.wc.redis, moved[0])
                source = f"engine-{unit_id[:12]}"
                await enqueue_converge(self.wc.queue, key, moved[1], source=source)
                return
        moved = await recorder.record(event.action, key, unit_id, event.exit_code)
        if moved is not None:
            await publish(self.wc.redis, moved[0])
            if event.at is not None:
                EVENT_PUBLISH_SECONDS.observe(max(0.0, time.time() - event.at))

    @staticmethod
    async def _tracks(db: AsyncConnection, key: str, unit_id: str) -> bool:
        tracked = await db.scalar(
            select(col(Notebook.container_id)).where(col(Notebook.key) == key)
        )
        return tracked == unit_id

    def _follow_logs(self, key: str, name: str, unit_id: str) -> None:
        task = self._log_tasks.get(unit_id)
        if task is None or task.done():
            self._log_tasks[unit_id] = asyncio.create_task(self._copy_logs(key, name, unit_id))

    async def _copy_logs(self, key: str, name: str, unit_id: str) -> None:
        """Copy a unit's output into the notebook's Redis log stream while it runs."""
        try:
            await logs.clear(self.wc.redis, key)
            splitter = logs.LineSplitter()
            async for chunk in self.wc.runtime.logs(name, unit_id):
                for line in splitter.feed(chunk):
                    await logs.append(self.wc.redis, key, line)
            last = splitter.flush()
            if last is not None:
                await logs.append(self.wc.redis, key, last)
        except aiodocker.DockerError:
            pass  # the unit went away: its logs end here
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("log copy for notebook %s stopped", key, exc_info=True)
        finally:
            self._log_tasks.pop(unit_id, None)
