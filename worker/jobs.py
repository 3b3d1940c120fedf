"""arq jobs: converge one notebook's unit (its container, or its Swarm service) to its row's
desired state, through the runtime (worker/runtime/base.py).

Jobs may run twice, or after a worker died halfway: every step finds what an earlier run
left (names after the notebook's key) and carries on from there. A job names its notebook
by key, so a job of a deleted notebook can never act on another.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from typing import Any

import aiodocker
from sqlmodel import select

from app.core import notebook_origin
from app.core.metrics import JOB_SECONDS, SPAWN_PHASE_SECONDS
from app.core.time import utcnow
from app.models.notebook import DesiredState, Notebook, Status
from app.services.notebooks import logs
from app.services.notebooks.state import transition
from app.services.notebooks.status import AT_REST, RUNNING
from worker import spares
from worker.context import WorkerContext
from worker.docker import Refused, out_of_addresses
from worker.engine_restart import carried_reason
from worker.readiness import status_url, wait_until_ready
from worker.runtime.base import Unit
from worker.spec import resource_name
from worker.volumes import carry_over_legacy_volume

log = logging.getLogger(__name__)
READY_TIMEOUT_SECONDS = 120.0


async def converge_notebook(ctx: dict[str, Any], key: str) -> str:
    started = time.perf_counter()
    outcome = "failed"
    try:
        outcome = await _converge(ctx, key)
        return outcome
    finally:
        JOB_SECONDS.labels("converge_notebook", outcome).observe(time.perf_counter() - started)


async def _converge(ctx: dict[str, Any], key: str) -> str:
    wc = WorkerContext.of(ctx)
    if not isinstance(key, str):
        return "obsolete job"  # queued by a version that named notebooks by id
    name = resource_name(wc.settings, key)
    async with wc.notebook_lock(key):
        # Read, then let the session go: no transaction may stay open while Docker or
        # Jupyter is waited on (each step below opens its own, and commits as it goes).
        async with wc.sessionmaker() as db:
            notebook = (await db.exec(select(Notebook).where(Notebook.key == key))).first()
        if notebook is None:
            await wc.runtime.remove_unit(name)
            return "gone"
        assert notebook.id is not None
        try:
            if notebook.desired_state == DesiredState.deleted:
                await _delete(wc, notebook)
            elif notebook.desired_state == DesiredState.stopped:
                await _stop(wc, notebook)
            else:
                await _run(wc, notebook)
        except (Refused, aiodocker.DockerError) as exc:
            log.warning("notebook %s: %s", key, exc)
            reason = (
                _docker_reason(notebook, exc)
                if isinstance(exc, aiodocker.DockerError)
                else str(exc)
            )
            async with wc.sessionmaker() as db:
                await transition(db, wc.redis, notebook.id, Status.error, reason=reason, force=True)
            return "error"
        return notebook.desired_state.value


async def forget_notebook(ctx: dict[str, Any], key: str, remove_volume: bool) -> str:
    """A notebook whose row is gone (its owner was deleted): its unit and network go, its
    volume too when asked; the files of a kept volume stay on the engine under the same
    name."""
    wc = WorkerContext.of(ctx)
    if not isinstance(key, str):
        return "obsolete job"  # queued by a version that named notebooks by id
    async with wc.notebook_lock(key):
        await wc.runtime.remove_unit(resource_name(wc.settings, key))
        if remove_volume:
            await wc.runtime.remove_volume(key)
        await logs.clear(wc.redis, key)
    return "volume removed" if remove_volume else "volume kept"


def _docker_reason(notebook: Notebook, exc: aiodocker.DockerError) -> str:
    message = str(exc.message)[:300]
    if exc.status == 404 and "image" in message.lower():
        return (
            f"image {notebook.image} is not on this Docker host (build it: scripts/build-images.sh)"
        )
    if out_of_addresses(exc):
        return (
            "Docker has no address range left for another notebook network "
            "(raise default-address-pools in Docker's daemon.json, see README)"
        )
    return f"Docker error {exc.status}: {message}"


async def _run(wc: WorkerContext, notebook: Notebook) -> None:
    assert notebook.id is not None
    runtime = wc.runtime
    unit = await runtime.find(notebook)
    fresh_needed = notebook.status == Status.pending
    if (
        unit is not None
        and unit.running
        and not fresh_needed
        and unit.config_hash == runtime.config_hash(notebook)
    ):
        # Up already (a repeated job, or a worker that died mid-start): finish the start.
        if notebook.status not in RUNNING:
            await _await_ready(wc, notebook, unit)
        return
    # The job's own steps are forced: it is the authority on what it just did to Docker.
    reason = carried_reason(notebook.status_reason)
    async with wc.sessionmaker() as db:
        record = partial(transition, db, wc.redis, notebook.id)
        # A stale or stopped unit is forgotten first, so its events are ignored.
        await record(Status.creating, force=True, container_id=None, reason=reason)
        creating = time.perf_counter()
        if notebook.legacy_volume:
            await carry_over_legacy_volume(wc, notebook)
        unit = await _prepare(wc, notebook)
        SPAWN_PHASE_SECONDS.labels("create").observe(time.perf_counter() - creating)
        await logs.clear(wc.redis, notebook.key)
        await record(
            Status.starting,
            force=True,
            reason=reason,
            container_id=unit.id,
            health=None,
            started_at=utcnow(),
        )
        starting = time.perf_counter()
        await runtime.start(unit)
        SPAWN_PHASE_SECONDS.labels("start").observe(time.perf_counter() - starting)
    await _await_ready(wc, notebook, unit)
    await spares.top_up(wc)  # after the start, not beside it (worker/spares.py)


async def _prepare(wc: WorkerContext, notebook: Notebook) -> Unit:
    while True:
        try:
            return await wc.runtime.prepare(notebook)
        except aiodocker.DockerError as exc:
            # A spare network holds an address range this notebook's own network needs.
            if not (out_of_addresses(exc) and await spares.give_back_one(wc)):
                raise


async def _await_ready(wc: WorkerContext, notebook: Notebook, unit: Unit) -> None:
    assert notebook.id is not None
    endpoint = await wc.runtime.endpoint(unit)
    host, port = (endpoint.host, endpoint.port) if endpoint is not None else (None, None)
    reason = carried_reason(notebook.status_reason)
    async with wc.sessionmaker() as db:
        record = partial(transition, db, wc.redis, notebook.id)
        await record(Status.starting, host_port=port, upstream_host=host, reason=reason)
        if port is None:
            await record(Status.error, reason="no address to reach")
            return
        base = notebook_origin.base_path(wc.settings, notebook.key)
        url = status_url(host or wc.container_host, port, base)
        waiting = time.perf_counter()
        ready = await wait_until_ready(url, notebook.jupyter_token, within=READY_TIMEOUT_SECONDS)
        if ready:
            SPAWN_PHASE_SECONDS.labels("ready").observe(time.perf_counter() - waiting)
            await record(Status.healthy, last_activity_at=utcnow(), reason=reason)
        else:
            await record(
                Status.unhealthy,
                reason=f"Jupyter did not answer within {READY_TIMEOUT_SECONDS:.0f} s",
            )


def stop_reason(notebook: Notebook) -> str | None:
    """Keep a reason that explains the stop (idle, crash); drop one left from before."""
    reason = notebook.status_reason
    return reason if reason and reason.startswith(("stopped:", "exited", "killed")) else None


async def _stop(wc: WorkerContext, notebook: Notebook) -> None:
    assert notebook.id is not None
    async with wc.sessionmaker() as db:
        record = partial(transition, db, wc.redis, notebook.id)
        unit = await wc.runtime.find(notebook)
        if unit is not None and unit.active:
            # container_id cleared first: the watcher then ignores this unit's events.
            await record(Status.stopping, container_id=None)
        await wc.runtime.stop(notebook)
        if notebook.status not in AT_REST:
            await record(
                Status.stopped,
                force=True,
                container_id=None,
                host_port=None,
                upstream_host=None,
                health=None,
                reason=stop_reason(notebook),
            )


async def _delete(wc: WorkerContext, notebook: Notebook) -> None:
    assert notebook.id is not None
    async with wc.sessionmaker() as db:
        record = partial(transition, db, wc.redis, notebook.id)
        await record(Status.stopping, force=True, container_id=None)
        await wc.runtime.remove(notebook, purge_volume=notebook.purge_volume)
        if notebook.purge_volume and notebook.legacy_volume:
            await carry_over_legacy_volume(wc, notebook, purge=True)
        await logs.clear(wc.redis, notebook.key)
        removed = await record(
            Status.removed,
            force=True,
            host_port=None,
            upstream_host=None,
            reason="deleted; volume purged" if notebook.purge_volume else "deleted; volume kept",
        )
        # The `removed` event above is the last one clients see; then the row goes.
        row = removed or await db.get(Notebook, notebook.id)
        if row is not None:
            await db.delete(row)
            await db.commit()
