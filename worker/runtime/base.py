"""The runtime boundary: what the worker asks of whatever runs notebook servers.

Two runtimes implement it: a single Docker engine (a container per notebook, its port
published on the host's loopback) and Docker Swarm (a service per notebook on an overlay
network of its own, scaled to 0 when stopped). Jobs, the watcher, reconcile and readiness
speak only this interface, so the status machine and its statements are the same for both.

A notebook's *unit* is the runtime's object that runs one start of it. Its `id` is what the
notebook's row tracks (`container_id`) and what every event names: events of a unit the row
no longer tracks change nothing. A container id under Docker; under Swarm a token set on the
service at each start, since the task and container ids are only known after the start.
Every operation is idempotent (jobs may run twice): 404 and 409 from the engine are outcomes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from app.models.notebook import Notebook

# The events a unit reports, named as Docker names container events; worker/observations.py
# holds what each does to the row.
START = "start"
HEALTHY = "health_status: healthy"
UNHEALTHY = "health_status: unhealthy"
OOM = "oom"
DIE = "die"
DESTROY = "destroy"
ACTIONS = frozenset({START, HEALTHY, UNHEALTHY, OOM, DIE, DESTROY})


@dataclass(frozen=True)
class Unit:
    name: str  # the notebook's resource name (container, service, volume, network)
    id: str
    notebook_id: int | None  # from its labels; None when they do not name a notebook
    running: bool
    config_hash: str | None
    node: str | None = None  # the node it runs or last ran on (Swarm)


@dataclass(frozen=True)
class Endpoint:
    """Where the api and the worker reach a running notebook's Jupyter server."""

    host: str
    port: int


@dataclass(frozen=True)
class RuntimeEvent:
    action: str  # one of ACTIONS
    notebook_id: int
    unit_id: str
    exit_code: str = "?"


class EventStream(Protocol):
    async def get(self) -> RuntimeEvent | None:
        """The next event of one of our units; None when the stream ended (reconnect)."""
        ...


class EventSubscription(Protocol):
    """Subscribed on entry, so reconcile can run after it and miss nothing."""

    async def __aenter__(self) -> EventStream: ...

    async def __aexit__(self, *exc: object) -> None: ...


class NotebookRuntime(Protocol):
    kind: str  # "docker" or "swarm": WORKSPACE_RUNTIME

    async def ping(self) -> None:
        """Fail fast when the engine is not there."""

    def config_hash(self, notebook: Notebook) -> str:
        """A digest of everything a start applies; a running unit with another is stale."""
        ...

    async def find(self, name: str) -> Unit | None: ...

    async def list_units(self) -> list[Unit]:
        """Every unit labelled with this installation's instance."""
        ...

    async def prepare(self, notebook: Notebook) -> Unit:
        """Volume, network and unit for the notebook's current configuration, not started;
        a stale or stopped unit of the same notebook is replaced (its volume kept)."""
        ...

    async def start(self, unit: Unit) -> None: ...

    async def endpoint(self, unit: Unit) -> Endpoint | None:
        """Where Jupyter answers once started; None when the runtime cannot tell."""
        ...

    async def stop(self, name: str, *, grace_seconds: int = 10) -> None:
        """Nothing of the notebook runs afterwards; its volume and placement stay."""

    async def remove(self, name: str, *, purge_volume: bool = False) -> None:
        """Everything of the notebook goes; the volume too when `purge_volume`."""

    async def reach_all(self) -> None:
        """Make every running notebook reachable by the api and the worker again (after
        either restarted); reconcile calls it."""

    def events(self) -> EventSubscription: ...

    def logs(self, unit: Unit) -> AsyncIterator[str]:
        """The unit's output from its start, followed while it runs, in chunks."""
        ...

    async def close(self) -> None: ...
