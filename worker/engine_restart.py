"""Notebooks that the Docker engine stopped come back by themselves.

Without live-restore, a restarting dockerd stops every container it runs (at its shutdown,
or at its next start after a crash) and a host reboot leaves them exited; Docker reports a
`die` as for any other exit, often with exit code 0. WorkSpace tells these apart from a
notebook that stopped by itself by when it happened: while the watcher had lost the engine
(or, for a worker that just started, since a watcher last saw the engine), or within
GRACE_SECONDS after this watcher got it back (a dockerd restarted after a crash stops the
containers it finds still running a moment after it answers again). Such a notebook keeps
its desired state, running, and is started again with a reason that says so; one its user
had stopped has no container any more, so it stays stopped. An out-of-memory kill is never
taken for an engine restart.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from app.core.time import utcnow

REASON = "started again: it stopped while the Docker engine restarted or was out of reach"
GRACE_SECONDS = 60.0
# Docker's clock and ours may differ a little; a container stopping just before we noticed
# the loss counts too.
SLACK = timedelta(seconds=5)
SEEN_KEY = "workspace:engine-seen"


def carried_reason(reason: str | None) -> str | None:
    """The reason a start keeps while the notebook comes back (others are cleared)."""
    return reason if reason == REASON else None


class EngineLoss:
    """When this watcher lost the engine, and the grace period after it came back."""

    def __init__(self) -> None:
        self.lost_at: datetime | None = None
        self._unseen_since: datetime | None = None
        self._grace_until = 0.0

    def lost(self) -> None:
        if self.lost_at is None:
            self.lost_at = utcnow()

    async def first_start(self, redis: Redis) -> None:
        """A fresh worker: the engine may have restarted (with the host) since a watcher
        last saw it. A host's reboot sends no `die`: reconcile alone finds those."""
        self._unseen_since = await last_seen(redis)

    def connected(self) -> datetime | None:
        """The engine answers: since when it was not watched (for reconcile), if known."""
        lost_at, unseen_since = self.lost_at, self._unseen_since
        self.lost_at = self._unseen_since = None
        if lost_at is not None:
            self._grace_until = time.monotonic() + GRACE_SECONDS
        return lost_at or unseen_since

    def in_grace(self) -> bool:
        return time.monotonic() < self._grace_until


async def seen(redis: Redis) -> None:
    # No expiry: after a reboot, the last sighting is what tells a restart happened.
    await redis.set(SEEN_KEY, utcnow().isoformat())


async def last_seen(redis: Redis) -> datetime | None:
    raw = await redis.get(SEEN_KEY)
    with contextlib.suppress(TypeError, ValueError):
        return datetime.fromisoformat(raw)
    return None


def _finished_at(info: dict[str, Any]) -> datetime | None:
    text = str((info.get("State") or {}).get("FinishedAt") or "")
    # Docker writes nanoseconds; Python reads at most microseconds.
    head, _, fraction = text.partition(".")
    try:
        moment = datetime.fromisoformat(head).replace(tzinfo=UTC)
    except ValueError:
        return None
    if moment.year < 2000:  # "0001-01-01T00:00:00Z": never finished
        return None
    micros = "".join(c for c in fraction if c.isdigit())[:6].ljust(6, "0")
    return moment + timedelta(microseconds=int(micros))


def stopped_by_engine(info: dict[str, Any], lost_at: datetime) -> bool:
    """Whether this exited container went down at or after the engine was lost."""
    state = info.get("State") or {}
    if state.get("Running") or state.get("OOMKilled"):
        return False
    finished = _finished_at(info)
    return finished is None or finished >= lost_at - SLACK
