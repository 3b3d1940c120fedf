"""Reconcile: bring rows and labelled containers back in line.

Runs when the watcher starts, after every reconnect to Docker, and periodically. Nothing
stays `starting` forever (its converge job is driven again) and no labelled container
without a live row survives.
"""

from __future__ import annotations

import logging
import time

from sqlmodel import select

from app.core.queue import enqueue_converge
from app.models.notebook import DesiredState, Notebook, Status
from app.services.notebooks.state import transition
from app.services.notebooks.status import AT_REST, COMING_UP, RUNNING
from worker.context import WorkerContext
from worker.docker import LABEL_ID, NotebookDocker

log = logging.getLogger(__name__)


async def reconcile(wc: WorkerContext) -> dict[str, int]:
    containers = {
        int(info["Labels"][LABEL_ID]): info
        for info in await wc.docker.list_ours()
        if str(info.get("Labels", {}).get(LABEL_ID, "")).isdigit()
    }
    async with wc.sessionmaker() as db:
        rows = {n.id: n for n in (await db.exec(select(Notebook))).all() if n.id is not None}
    # The read's session is closed: none is held while Docker stops an orphan.
    counts = {"orphans_removed": 0, "driven": 0, "settled": 0}
    bucket = f"reconcile-{int(time.time() // 60)}"

    for notebook_id, orphan in containers.items():
        if notebook_id not in rows:
            log.info("removing orphan container %s", orphan.get("Names"))
            await wc.docker.stop_and_remove(orphan["Id"])
            counts["orphans_removed"] += 1

    for notebook_id, notebook in rows.items():
        info = containers.get(notebook_id)
        running = info is not None and str(info.get("State")) == "running"
        if _needs_job(notebook, running=running):
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


def _needs_job(notebook: Notebook, *, running: bool) -> bool:
    if notebook.desired_state == DesiredState.deleted:
        return True
    if notebook.desired_state == DesiredState.stopped:
        return running or notebook.status not in AT_REST
    if notebook.status in COMING_UP:
        return True  # a start was under way: finish it (or start over)
    return running and notebook.status not in RUNNING


__all__ = ["NotebookDocker", "reconcile"]
