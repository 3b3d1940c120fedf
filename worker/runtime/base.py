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

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import aiodocker

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
    key: str | None  # the notebook key on its labels; None when they name no notebook
    running: bool
    config_hash: str | None
    # There is something to stop: a container, running or not (Docker); a service not
    # scaled to 0 (Swarm).
    active: bool = True
    node: str | None = None  # the node it runs or last ran on (Swarm)


@dataclass(frozen=True)
class Endpoint:
    """Where the api and the worker reach a running notebook's Jupyter server: `host` None
    means the worker's `container_host` (a port published on the engine's host)."""

    host: str | None
    port: int


@dataclass(frozen=True)
class RuntimeEvent:
    action: str  # one of ACTIONS
    key: str
    unit_id: str
    exit_code: str = "?"
    at: float | None = None  # when the engine saw it (seconds since the epoch), if it says


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

    @property
    def engine(self) -> aiodocker.Docker:
        """The engine this runtime talks to (the worker looks up notebook images there)."""
        ...

    async def ping(self) -> None:
        """Fail fast when the engine is not there."""

    def config_hash(self, notebook: Notebook) -> str:
        """A digest of everything a start applies; a running unit with another is stale."""
        ...

    async def find(self, notebook: Notebook) -> Unit | None:
        """The notebook's unit; `worker.docker.ForeignResource` when what carries its name
        is not its own."""
        ...

    async def list_units(self) -> list[Unit]:
        """Every unit labelled with this installation's instance and a notebook key."""
        ...

    async def prepare(self, notebook: Notebook) -> Unit:
        """Volume, network and unit for the notebook's current configuration, not started;
        a stale or stopped unit of the same notebook is replaced (its volume kept)."""
        ...

    async def make_network(self, key: str) -> bool:
        """The network of a notebook yet to be created under `key`, made ahead so its first
        start finds it (worker/spares.py); False when this runtime makes none ahead."""
        ...

    async def spare_ready(self, key: str) -> bool:
        """Whether what `make_network` made for `key` is still all there and up (after
        Docker restarted, a spare's holder is not)."""
        ...

    async def start(self, unit: Unit) -> None: ...

    async def endpoint(self, unit: Unit) -> Endpoint | None:
        """Where Jupyter answers once started; None when the unit has no address."""
        ...

    async def stop(self, notebook: Notebook) -> None:
        """Nothing of the notebook runs afterwards; its volume (and placement) stay."""

    async def remove(self, notebook: Notebook, *, purge_volume: bool) -> None:
        """Everything of the notebook goes; its volume too when `purge_volume`."""

    async def remove_unit(self, name: str, unit_id: str | None = None) -> None:
        """A unit (`unit_id`, or whatever is called `name`) and its network, without a
        notebook: a deleted row's, an orphan."""

    async def remove_volume(self, key: str) -> None:
        """The volume of a notebook whose row is gone (its owner was deleted), when it is
        labelled for this instance and that key."""

    async def stopped_since(self, unit: Unit, moment: datetime) -> bool:
        """Whether this unit, not running, went down at or after `moment` (when the engine
        was lost: the engine's restart stopped it)."""
        ...

    async def tidy(self, wanted: Mapping[str, bool], units: list[Unit]) -> dict[str, int]:
        """Reconcile's housekeeping: what is left of notebooks not meant to run (`wanted`:
        key → meant to run) besides their units, and whatever this runtime keeps; counts."""
        ...

    async def reach_all(self) -> None:
        """Make every notebook reachable by the api and the worker again (after either
        restarted); reconcile calls it."""

    def events(self) -> EventSubscription: ...

    def logs(self, name: str, unit_id: str) -> AsyncIterator[str]:
        """A unit's output from its start, followed while it runs, in chunks."""
        ...

    async def close(self) -> None: ...
