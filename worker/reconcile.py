"""Reconcile: bring rows and labelled containers back in line.

Runs when the watcher starts, after every reconnect to Docker, and periodically. Nothing
stays `starting` forever (its converge job is driven again) and no labelled container
without a live row survives. After the engine was lost, the notebooks it stopped meanwhile
start again (worker/engine_restart.py).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from app.core.queue import enqueue_converge
from app.models.notebook import DesiredState, Notebook, Status
from app.services.notebooks.state import transition
from app.services.notebooks.status import AT_REST, COMING_UP, RUNNING
from worker import engine_restart
from worker.context import WorkerContext
from worker.docker import LABEL_ID, NotebookDocker

log = logging.getLogger(__name__)


# A `die` the watcher recorded this shortly before the engine's event stream ended was the
# engine stopping the container on its way down (dockerd stops them, then closes the API).
LOOKBACK = timedelta(seconds=10)
UNEXPECTED_EXIT = "exited unexpectedly"


async def reconcile(wc: WorkerContext, *, engine_lost_at: datetime | None = None) -> dict[str, int]:
    """`engine_lost_at`: when the watcher lost the engine, on the first run after it came
    back (notebooks it stopped since then are started again)."""
    containers = {
        int(info["Labels"][LABEL_ID]): info
        for info in await wc.docker.list_ours()
        if str(info.get("Labels", {}).get(LABEL_ID, "")).isdigit()
    }
    async with wc.sessionmaker() as db:
        rows = {n.id: n for n in (await db.exec(select(Notebook))).all() if n.id is not None}
    # The read's session is closed: none is held while Docker stops an orphan.
    counts = {"orphans_removed": 0, "driven": 0, "settled": 0, "brought_back": 0}
    bucket = f"reconcile-{int(time.time() // 60)}"

    for notebook_id, orphan in containers.items():
        if notebook_id not in rows:
            log.info("removing orphan container %s", orphan.get("Names"))
            await wc.docker.stop_and_remove(orphan["Id"])
            counts["orphans_removed"] += 1

    for notebook_id, notebook in rows.items():
        info = containers.get(notebook_id)
        running = info is not None and str(info.get("State")) == "running"
        if engine_lost_at is not None and await _stopped_by_engine(
            wc, notebook, info, engine_lost_at
        ):
            async with wc.sessionmaker() as db:
                if await _bring_back(wc, db, notebook, engine_lost_at):
                    counts["brought_back"] += 1
        elif _needs_job(notebook, running=running):
            await enqueue_converge(wc.queue, notebook_id, notebook.generation, source=bucket)
            counts["driven"] += 1
        elif not running and notebook.status in RUNNING:
            # Went down while nobody watched (Docker restarted, events missed).
            async with wc.sessionmaker() as db:
                await transition(
                    db,
                    wc.redis,
                    notebook_id,
                    Status.stopped,
                    container_id=None,
                    host_port=None,
                    desired_state=DesiredState.stopped,
                    reason="exited while WorkSpace was not watching",
                )
            counts["settled"] += 1
    return counts


async def _stopped_by_engine(
    wc: WorkerContext, notebook: Notebook, summary: dict[str, Any] | None, lost_at: datetime
) -> bool:
    if notebook.desired_state == DesiredState.running and notebook.status in RUNNING:
        if summary is None or str(summary.get("State")) == "running":
            return False
        info = await wc.docker.find(summary["Id"])
        return info is not None and engine_restart.stopped_by_engine(info, lost_at)
    # Recorded as a crash just before the engine went away: its shutdown did it.
    return (
        notebook.desired_state == DesiredState.stopped
        and notebook.status == Status.stopped
        and (notebook.status_reason or "").startswith(UNEXPECTED_EXIT)
        and notebook.updated_at >= lost_at - LOOKBACK
    )


async def _bring_back(wc: WorkerContext, db: Any, notebook: Notebook, lost_at: datetime) -> bool:
    assert notebook.id is not None
    moved = await transition(
        db,
        wc.redis,
        notebook.id,
        Status.pending,
        force=True,
        not_from={Status.stopping, Status.removed},
        only_if=col(Notebook.version) == notebook.version,
        reason=engine_restart.REASON,
        desired_state=DesiredState.running,
        container_id=None,
        host_port=None,
        health=None,
    )
    if moved is None:
        return False
    log.info("notebook %s: stopped by the engine; starting it again", notebook.id)
    source = f"engine-{int(lost_at.timestamp())}"
    await enqueue_converge(wc.queue, notebook.id, moved.generation, source=source)
    return True


def _needs_job(notebook: Notebook, *, running: bool) -> bool:
    if notebook.desired_state == DesiredState.deleted:
        return True
    if notebook.desired_state == DesiredState.stopped:
        return running or notebook.status not in AT_REST
    if notebook.status in COMING_UP:
        return True  # a start was under way: finish it (or start over)
    return running and notebook.status not in RUNNING


__all__ = ["NotebookDocker", "reconcile"]
