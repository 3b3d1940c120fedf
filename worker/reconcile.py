"""Reconcile: bring rows and the runtime's units back in line.

Runs when the watcher starts, after every reconnect to the engine, and periodically.
Nothing stays `starting` forever (its converge job is driven again), no unit without a live
row survives, and what the runtime keeps besides units (networks, say) does not outlive
its notebook (`NotebookRuntime.tidy`). Units are matched to rows by the notebook key on
their labels. The api and the worker are made to reach every notebook again.
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

log = logging.getLogger(__name__)


async def reconcile(wc: WorkerContext) -> dict[str, int]:
    # The engine first, rows after: a unit a job made after this list is not in it, and
    # one in it was made for a row this read then sees.
    runtime = wc.runtime
    units = [u for u in await runtime.list_units() if u.key]
    by_key = {u.key: u for u in units}
    async with wc.sessionmaker() as db:
        rows = {n.key: n for n in (await db.exec(select(Notebook))).all()}
        counts = {"orphans_removed": 0, "networks_removed": 0, "driven": 0, "settled": 0}
        bucket = f"reconcile-{int(time.time() // 60)}"

        for key, orphan in by_key.items():
            if key not in rows:
                log.info("removing orphan %s", orphan.name)
                await runtime.remove_unit(orphan.name, orphan.id)
                counts["orphans_removed"] += 1
        wanted = {key: n.desired_state == DesiredState.running for key, n in rows.items()}
        for name, count in (await runtime.tidy(wanted, units)).items():
            counts[name] = counts.get(name, 0) + count
        await runtime.reach_all()

        for key, notebook in rows.items():
            assert notebook.id is not None
            found = by_key.get(key)
            running = found is not None and found.running
            if _needs_job(notebook, running=running):
                await enqueue_converge(wc.queue, key, notebook.generation, source=bucket)
                counts["driven"] += 1
            elif not running and notebook.status in RUNNING:
                # Went down while nobody watched (the engine restarted, events missed).
                await transition(
                    db,
                    wc.redis,
                    notebook.id,
                    Status.stopped,
                    container_id=None,
                    host_port=None,
                    upstream_host=None,
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
