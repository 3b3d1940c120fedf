"""The notebook status machine: which observed transitions are allowed (pure logic).

pending → creating → starting → healthy ↔ unhealthy → stopping → stopped → removed,
and error (with a reason) from anywhere. Events arrive from two writers (the converge job
and the Docker event watcher) in any order; refusing backwards moves keeps a late event
(say Docker's `start` after the job already saw Jupyter answer) from regressing a badge.
"""

from __future__ import annotations

from app.models.notebook import Status

# The status sets every module asks about, defined here only.
# On its way up: the converge job or reconcile still has work to do.
COMING_UP = frozenset({Status.pending, Status.creating, Status.starting})
# Jupyter answered its readiness check (and may since have failed a health check).
RUNNING = frozenset({Status.healthy, Status.unhealthy})
# The container exists and Jupyter answers or is about to: the proxy forwards to it.
SERVING = frozenset({Status.starting, *RUNNING})
# Nothing runs and nothing is in progress: a start must begin from pending.
AT_REST = frozenset({Status.stopped, Status.error, Status.removed})
_DOWN = frozenset({Status.stopping, *AT_REST})

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


def can_move(current: Status, new: Status) -> bool:
    return new == current or new in ALLOWED[current]
