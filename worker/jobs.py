"""arq jobs: converge one notebook's container to its row's desired state.

Jobs may run twice, or after a worker died halfway: every step finds what an earlier run
left (deterministic names) and carries on from there.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import aiodocker

from app.core.metrics import JOB_SECONDS, SPAWN_PHASE_SECONDS
from app.core.time import utcnow
from app.models.notebook import DesiredState, Notebook, Status
from app.services.notebooks import logs
from app.services.notebooks.state import transition
from app.services.notebooks.status import AT_REST, RUNNING
from worker.context import WorkerContext
from worker.docker import NotebookDocker, container_spec, resource_name
from worker.engine_restart import carried_reason
from worker.readiness import status_url, wait_until_ready

log = logging.getLogger(__name__)
READY_TIMEOUT_SECONDS = 120.0


async def converge_notebook(ctx: dict[str, Any], notebook_id: int) -> str:
    started = time.perf_counter()
    outcome = "failed"
    try:
        outcome = await _converge(ctx, notebook_id)
        return outcome
    finally:
        JOB_SECONDS.labels("converge_notebook", outcome).observe(time.perf_counter() - started)


async def _converge(ctx: dict[str, Any], notebook_id: int) -> str:
    wc = WorkerContext.of(ctx)
    async with wc.notebook_lock(notebook_id):
        # Read, then let the session go: no transaction may stay open while Docker or
        # Jupyter is waited on (each step below opens its own, and commits as it goes).
        async with wc.sessionmaker() as db:
            notebook = await db.get(Notebook, notebook_id)
        if notebook is None:
            await wc.docker.stop_and_remove(resource_name(wc.settings, notebook_id))
            return "gone"
        try:
            if notebook.desired_state == DesiredState.deleted:
                await _delete(wc, notebook)
            elif notebook.desired_state == DesiredState.stopped:
                await _stop(wc, notebook)
            else:
                await _run(wc, notebook)
        except aiodocker.DockerError as exc:
            log.warning("notebook %s: Docker said %s", notebook_id, exc)
            async with wc.sessionmaker() as db:
                await transition(
                    db,
                    wc.redis,
                    notebook_id,
                    Status.error,
                    reason=_docker_reason(notebook, exc),
                    force=True,
                )
            return "error"
        return notebook.desired_state.value


async def forget_notebook(ctx: dict[str, Any], notebook_id: int, remove_volume: bool) -> str:
    """A notebook whose row is gone (its owner was deleted): its container goes, its volume
    too when asked; the files of a kept volume stay on the engine under the same name."""
    wc = WorkerContext.of(ctx)
    name = resource_name(wc.settings, notebook_id)
    async with wc.notebook_lock(notebook_id):
        await wc.docker.stop_and_remove(name)
        if remove_volume:
            await wc.docker.remove_volume(name)
        await logs.clear(wc.redis, notebook_id)
    return "volume removed" if remove_volume else "volume kept"


def _docker_reason(notebook: Notebook, exc: aiodocker.DockerError) -> str:
    message = str(exc.message)[:300]
    if exc.status == 404 and "image" in message.lower():
        return (
            f"image {notebook.image} is not on this Docker host (build it: scripts/build-images.sh)"
        )
    return f"Docker error {exc.status}: {message}"


async def _run(wc: WorkerContext, notebook: Notebook) -> None:
    assert notebook.id is not None
    spec = container_spec(notebook, wc.settings)
    name = resource_name(wc.settings, notebook.id)
    info = await wc.docker.find(name)
    fresh_needed = notebook.status == Status.pending
    if (
        info is not None
        and NotebookDocker.is_running(info)
        and not fresh_needed
        and (NotebookDocker.config_hash(info) == spec["Labels"]["workspace.config_hash"])
    ):
        # Up already (a repeated job, or a worker that died mid-start): finish the start.
        if notebook.status not in RUNNING:
            await _await_ready(wc, notebook, info)
        return
    # The job's own steps are forced: it is the authority on what it just did to Docker.
    reason = carried_reason(notebook.status_reason)
    async with wc.sessionmaker() as db:
        if info is not None:
            # A stale or stopped container: forget it first, so its events are ignored.
            await transition(
                db,
                wc.redis,
                notebook.id,
                Status.creating,
                force=True,
                container_id=None,
                reason=reason,
            )
            await wc.docker.stop_and_remove(name)
        else:
            await transition(db, wc.redis, notebook.id, Status.creating, force=True, reason=reason)
        creating = time.perf_counter()
        await wc.docker.ensure_volume(name, notebook.id)
        container = await wc.docker.create(name, spec)
        SPAWN_PHASE_SECONDS.labels("create").observe(time.perf_counter() - creating)
        await logs.clear(wc.redis, notebook.id)
        await transition(
            db,
            wc.redis,
            notebook.id,
            Status.starting,
            force=True,
            reason=reason,
            container_id=container.id,
            health=None,
            started_at=utcnow(),
        )
        starting = time.perf_counter()
        await wc.docker.start(container.id)
        SPAWN_PHASE_SECONDS.labels("start").observe(time.perf_counter() - starting)
    info = await wc.docker.find(container.id)
    if info is None:
        raise aiodocker.DockerError(404, "container vanished right after start")
    await _await_ready(wc, notebook, info)


async def _await_ready(wc: WorkerContext, notebook: Notebook, info: dict[str, Any]) -> None:
    assert notebook.id is not None
    port = NotebookDocker.host_port(info)
    reason = carried_reason(notebook.status_reason)
    async with wc.sessionmaker() as db:
        await transition(db, wc.redis, notebook.id, Status.starting, host_port=port, reason=reason)
        if port is None:
            await transition(db, wc.redis, notebook.id, Status.error, reason="no published port")
            return
        url = status_url(wc.container_host, port, notebook.base_url)
        waiting = time.perf_counter()
        ready = await wait_until_ready(url, notebook.jupyter_token, within=READY_TIMEOUT_SECONDS)
        if ready:
            SPAWN_PHASE_SECONDS.labels("ready").observe(time.perf_counter() - waiting)
            await transition(
                db,
                wc.redis,
                notebook.id,
                Status.healthy,
                last_activity_at=utcnow(),
                reason=reason,
            )
        else:
            await transition(
                db,
                wc.redis,
                notebook.id,
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
        info = await wc.docker.find(resource_name(wc.settings, notebook.id))
        if info is not None:
            # container_id cleared first: the watcher then ignores this container's events.
            await transition(db, wc.redis, notebook.id, Status.stopping, container_id=None)
            await wc.docker.stop_and_remove(resource_name(wc.settings, notebook.id))
        if notebook.status not in AT_REST:
            await transition(
                db,
                wc.redis,
                notebook.id,
                Status.stopped,
                force=True,
                container_id=None,
                host_port=None,
                health=None,
                reason=stop_reason(notebook),
            )


async def _delete(wc: WorkerContext, notebook: Notebook) -> None:
    assert notebook.id is not None
    async with wc.sessionmaker() as db:
        await transition(db, wc.redis, notebook.id, Status.stopping, force=True, container_id=None)
        await wc.docker.stop_and_remove(resource_name(wc.settings, notebook.id))
        if notebook.purge_volume:
            await wc.docker.remove_volume(resource_name(wc.settings, notebook.id))
        await logs.clear(wc.redis, notebook.id)
        removed = await transition(
            db,
            wc.redis,
            notebook.id,
            Status.removed,
            force=True,
            host_port=None,
            reason="deleted; volume purged" if notebook.purge_volume else "deleted; volume kept",
        )
        # The `removed` event above is the last one clients see; then the row goes.
        row = removed or await db.get(Notebook, notebook.id)
        if row is not None:
            await db.delete(row)
            await db.commit()
