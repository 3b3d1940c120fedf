"""The notebook status machine: which observed transitions are allowed (pure logic).

pending → creating → starting → healthy ↔ unhealthy → stopping → stopped → removed,
and error (with a reason) from anywhere. Events arrive from two writers (the converge job
and the Docker event watcher) in any order; refusing backwards moves keeps a late event
(say Docker's `start` after the job already saw Jupyter answer) from regressing a badge.
"""

from __future__ import annotations

from app.models.notebook import Status

_DOWN = {Status.stopping, Status.stopped, Status.removed, Status.error}

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.pending: frozenset({Status.creating, *_DOWN}),
    Status.creating: frozenset({Status.starting, *_DOWN}),
    Status.starting: frozenset({Status.healthy, Status.unhealthy, *_DOWN}),
    Status.healthy: frozenset({Status.unhealthy, *_DOWN}),
    Status.unhealthy: frozenset({Status.healthy, *_DOWN}),
    Status.stopping: frozenset({Status.stopped, Status.removed, Status.error}),
    Status.stopped: frozenset({Status.pending, Status.creating, Status.starting, *_DOWN}),
    Status.removed: frozenset({Status.pending, Status.creating, Status.stopped, Status.error}),
    Status.error: frozenset({Status.pending, Status.creating, Status.starting, *_DOWN}),
}

# A notebook in one of these is on its way up and needs the converge job or reconcile.
TRANSIENT = frozenset({Status.pending, Status.creating, Status.starting})
RUNNING = frozenset({Status.healthy, Status.unhealthy})


def can_move(current: Status, new: Status) -> bool:
    return new == current or new in ALLOWED[current]
