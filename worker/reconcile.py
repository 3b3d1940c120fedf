"""Reconcile: bring rows and the runtime's units back in line.

Runs when the watcher starts, after every reconnect to the engine, and periodically.
Nothing stays `starting` forever (its converge job is driven again), no unit without a live
row survives, and what the runtime keeps besides units (networks, say) does not outlive
its notebook (`NotebookRuntime.tidy`). Units are matched to rows by the notebook key on
their labels. The api and the worker are made to reach every notebook again. After the
engine was lost, the notebooks it stopped meanwhile start again (worker/engine_restart.py).
Spare networks are kept and topped up (worker/spares.py).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from app.core.queue import enqueue_converge
from app.models.notebook import DesiredState, Notebook, Status
from app.services.notebooks import spare_keys
from app.services.notebooks.state import transition
from app.services.notebooks.status import AT_REST, COMING_UP, RUNNING
from worker import engine_restart, spares
from worker.context import WorkerContext
from worker.runtime.base import Unit

log = logging.getLogger(__name__)

# A `die` the watcher recorded this shortly before the engine's event stream ended was the
# engine stopping the container on its way down (dockerd stops them, then closes the API).
LOOKBACK = timedelta(seconds=10)
UNEXPECTED_EXIT = "exited unexpectedly"


async def reconcile(wc: WorkerContext, *, engine_lost_at: datetime | None = None) -> dict[str, int]:
    """`engine_lost_at`: when the watcher lost the engine, on the first run after it came
    back (notebooks it stopped since then are started again)."""
    # The engine first, rows after: a unit a job made after this list is not in it, and
    # one in it was made for a row this read then sees.
    runtime = wc.runtime
    units = [u for u in await runtime.list_units() if u.key]
    by_key = {u.key: u for u in units}
    # Before the rows: a spare taken after this read has its row in the next one.
    offered = await spare_keys.held(wc.redis, wc.settings.instance)
    async with wc.sessionmaker() as db:
        rows = {n.key: n for n in (await db.exec(select(Notebook))).all()}
    # The read's session is closed: none is held while the engine stops an orphan.
    counts = {
        "orphans_removed": 0,
        "networks_removed": 0,
        "driven": 0,
        "settled": 0,
        "brought_back": 0,
    }
    bucket = f"reconcile-{int(time.time() // 60)}"

    for key, orphan in by_key.items():
        if key not in rows:
            log.info("removing orphan %s", orphan.name)
            await runtime.remove_unit(orphan.name, orphan.id)
            counts["orphans_removed"] += 1
    # On its way up or running; a start that failed holds no network either.
    wanted = {
        key: n.desired_state == DesiredState.running and n.status not in AT_REST
        for key, n in rows.items()
    } | dict.fromkeys(offered, True)  # a spare's network is for a notebook on its way
    # The orphans just removed count as gone: their networks go in the same pass.
    kept = [u for u in units if u.key in rows]
    for name, count in (await runtime.tidy(wanted, kept)).items():
        counts[name] = counts.get(name, 0) + count
    await runtime.reach_all()

    for key, notebook in rows.items():
        assert notebook.id is not None
        found = by_key.get(key)
        running = found is not None and found.running
        if engine_lost_at is not None and await _stopped_by_engine(
            wc, notebook, found, engine_lost_at
        ):
            async with wc.sessionmaker() as db:
                if await _bring_back(wc, db, notebook, engine_lost_at):
                    counts["brought_back"] += 1
        elif _needs_job(notebook, running=running):
            await enqueue_converge(wc.queue, key, notebook.generation, source=bucket)
            counts["driven"] += 1
        elif not running and notebook.status in RUNNING:
            # Went down while nobody watched (the engine restarted, events missed).
            async with wc.sessionmaker() as db:
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
    counts["spares_made"] = await spares.top_up(wc)
    return counts


async def _stopped_by_engine(
    wc: WorkerContext, notebook: Notebook, unit: Unit | None, lost_at: datetime
) -> bool:
    if notebook.desired_state == DesiredState.running and notebook.status in RUNNING:
        if unit is None or unit.running:
            return False
        return await wc.runtime.stopped_since(unit, lost_at)
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
        upstream_host=None,
        health=None,
    )
    if moved is None:
        return False
    log.info("notebook %s: stopped by the engine; starting it again", notebook.id)
    source = f"engine-{int(lost_at.timestamp())}"
    await enqueue_converge(wc.queue, notebook.key, moved.generation, source=source)
    return True


def _needs_job(notebook: Notebook, *, running: bool) -> bool:
    if notebook.desired_state == DesiredState.deleted:
        return True
    if notebook.desired_state == DesiredState.stopped:
        return running or notebook.status not in AT_REST
    if notebook.status in COMING_UP:
        return True  # a start was under way: finish it (or start over)
    return running and notebook.status not in RUNNING
