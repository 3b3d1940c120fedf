"""Idle stop: a notebook whose kernels are all idle and whose Jupyter saw no activity for
longer than its timeout is stopped, saying why. A busy kernel is never idle."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlmodel import col, select

from app.core import notebook_origin
from app.core.queue import enqueue_converge
from app.core.time import utcnow
from app.models.notebook import DesiredState, Notebook
from app.services.notebooks.state import save_changes
from app.services.notebooks.status import RUNNING
from worker.context import WorkerContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Activity:
    last_activity: datetime
    busy: bool


async def read_activity(client: httpx.AsyncClient, base: str, token: str) -> Activity | None:
    """Ask Jupyter itself: `api/status` for last activity, `api/kernels` for busy kernels."""
    headers = {"Authorization": f"token {token}"}
    try:
        status = await client.get(f"{base}api/status", headers=headers)
        kernels = await client.get(f"{base}api/kernels", headers=headers)
        if status.status_code != 200 or kernels.status_code != 200:
            return None
        last = datetime.fromisoformat(status.json()["last_activity"].replace("Z", "+00:00"))
        busy = any(k.get("execution_state") == "busy" for k in kernels.json())
    except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError):
        return None  # not answering properly: health tracking deals with that, not idle stop
    return Activity(last_activity=last, busy=busy)


def idle_for(activity: Activity, now: datetime) -> timedelta | None:
    """How long the notebook has been idle, or None while a kernel is busy."""
    return None if activity.busy else max(now - activity.last_activity, timedelta(0))


def describe(idle: timedelta) -> str:
    minutes = idle.total_seconds() / 60
    return (
        f"stopped: idle for {minutes:.0f} min"
        if minutes >= 1
        else (f"stopped: idle for {idle.total_seconds():.0f} s")
    )


async def stop_idle_notebooks(wc: WorkerContext) -> list[int]:
    # Each step has a session of its own: none is held while a notebook is asked over HTTP.
    async with wc.sessionmaker() as db:
        rows = (
            await db.exec(
                select(Notebook).where(
                    Notebook.desired_state == DesiredState.running,
                    col(Notebook.status).in_(RUNNING),
                    col(Notebook.idle_timeout_minutes) > 0,
                    col(Notebook.host_port).is_not(None),
                )
            )
        ).all()
    stopped: list[int] = []
    for notebook in rows:
        assert notebook.id is not None
        host = notebook.upstream_host or wc.container_host
        path = notebook_origin.base_path(wc.settings, notebook.key)
        base = f"http://{host}:{notebook.host_port}{path}"
        activity = await read_activity(wc.http, base, notebook.jupyter_token)
        if activity is None:
            continue
        now = utcnow()
        idle = idle_for(activity, now)
        if idle is None or idle <= timedelta(minutes=notebook.idle_timeout_minutes):
            continue
        async with wc.sessionmaker() as db:
            saved = await save_changes(
                db,
                wc.redis,
                notebook,
                "status",
                desired_state=DesiredState.stopped,
                generation=notebook.generation + 1,
                status_reason=describe(idle),
                last_activity_at=activity.last_activity,
            )
        if saved is not None:
            log.info("notebook %s: %s", notebook.id, saved.status_reason)
            await enqueue_converge(wc.queue, notebook.key, saved.generation)
            stopped.append(notebook.id)
    return stopped
