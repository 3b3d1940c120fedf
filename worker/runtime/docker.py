"""The single-engine runtime: each notebook a container on a bridge network of its own.

The default (`WORKSPACE_RUNTIME=docker`). A unit is a container, its id the one the row
tracks; stopping removes it (the volume stays), starting makes a fresh one. What Docker
calls its objects and which of them are a notebook's is `worker/docker.py` and
`worker/spec.py`; this module maps them onto the runtime boundary.

A spare network comes with a running network holder (`worker/spec.py` `holder_spec`): a
notebook's first start joins its namespace, already set up, instead of having Docker set
one up. A start without one (after a stop, which removes network and holder, or when the
holder is not running) puts the container on the network itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

import aiodocker

from app.core.config import Settings
from app.models.notebook import Notebook
from worker import engine_restart
from worker.docker import ForeignResource, NotebookDocker
from worker.runtime.base import ACTIONS, Endpoint, EventSubscription, RuntimeEvent, Unit
from worker.spec import (
    LABEL_CONFIG,
    LABEL_HOLDS,
    LABEL_INSTANCE,
    LABEL_KEY,
    LEGACY_LABEL_ID,
    belongs,
    container_spec,
    holder_name,
    holder_spec,
    labels,
    network_spec,
    resource_name,
)

log = logging.getLogger(__name__)

# The container events that move a status (see worker/observations.py); Docker sends no others.
EVENTS = ["start", "health_status", "oom", "die", "destroy"]


class DockerRuntime:
    kind = "docker"

    def __init__(self, docker: NotebookDocker, settings: Settings) -> None:
        self.docker = docker
        self.settings = settings
        # False once a holder could not be made (the default image is not here, or has no
        # `sleep`): spares are then plain networks, not broken ones to replace.
        self.holders = True

    @property
    def engine(self) -> aiodocker.Docker:
        return self.docker.docker

    async def ping(self) -> None:
        await self.docker.docker.version()

    def config_hash(self, notebook: Notebook) -> str:
        return str(container_spec(notebook, self.settings)["Labels"][LABEL_CONFIG])

    def unit_of(self, info: dict[str, Any]) -> Unit:
        """A unit from a container's inspect data or its entry in `list_ours`."""
        state = info.get("State")
        running = bool(state.get("Running")) if isinstance(state, dict) else state == "running"
        key = NotebookDocker.container_labels(info).get(LABEL_KEY)
        return Unit(
            # What its notebook's container and network are called (its own name may differ).
            name=resource_name(self.settings, str(key)) if key else str(info["Id"]),
            id=str(info["Id"]),
            key=str(key) if key else None,
            running=running,
            config_hash=NotebookDocker.config_hash(info),
        )

    async def find(self, notebook: Notebook) -> Unit | None:
        name = resource_name(self.settings, notebook.key)
        info = await self.docker.find_own(name, labels(self.settings, notebook))
        return None if info is None else self.unit_of(info)

    async def list_units(self) -> list[Unit]:
        return [self.unit_of(info) for info in await self.docker.list_ours(LABEL_KEY)]

    async def prepare(self, notebook: Notebook) -> Unit:
        name = resource_name(self.settings, notebook.key)
        owned = labels(self.settings, notebook)
        spec = container_spec(notebook, self.settings)
        if await self.docker.find_own(name, owned) is not None:
            await self.docker.stop_and_remove(name)  # stale or stopped: a fresh one each start
        await self.docker.ensure_volume(name, owned)
        await self.docker.ensure_network(network_spec(self.settings, notebook.key))
        holder = await self._running_holder(notebook.key)
        if holder is not None:
            spec = container_spec(notebook, self.settings, holder=holder)
        container = await self.docker.create(name, spec, owned)
        return Unit(name, container.id, notebook.key, False, spec["Labels"][LABEL_CONFIG])

    async def make_network(self, key: str) -> bool:
        await self.docker.ensure_network(network_spec(self.settings, key))
        await self._make_holder(key)
        return True

    async def spare_ready(self, key: str) -> bool:
        """The network is there, and its holder runs (none is wanted when holders cannot
        be made here)."""
        name = resource_name(self.settings, key)
        if await self.docker.network_info(name) is None:
            return False
        holder = await self.docker.find(holder_name(name))
        if holder is None:
            return not self.holders
        return NotebookDocker.is_running(holder)

    def _holder_labels(self, key: str) -> dict[str, str]:
        return {LABEL_INSTANCE: self.settings.instance, LABEL_HOLDS: key}

    async def _make_holder(self, key: str) -> None:
        """A running holder on the network of `key`, in the default notebook image (any
        image with `sleep` would do; that one is there wherever notebooks run). Without
        it, or when it does not stay up, starts put the container on the network itself."""
        if not self.holders:
            return
        name = holder_name(resource_name(self.settings, key))
        spec = holder_spec(self.settings, key, self.settings.notebook_images[0])
        try:
            container = await self.docker.create(name, spec, self._holder_labels(key))
        except aiodocker.DockerError as exc:
            if exc.status != 404:
                raise
            log.info("no network holder for %s: image %s is not here", key, spec["Image"])
            self.holders = False
            return
        except ForeignResource as exc:
            log.warning("no network holder for %s: %s", key, exc)
            return
        try:
            await self.docker.start(container.id)
        except aiodocker.DockerError as exc:  # e.g. an image without `sleep`
            log.warning("no network holder for %s: %s", key, exc.message)
            await self.docker.remove_now(container.id)
            self.holders = False

    async def _running_holder(self, key: str) -> str | None:
        """The id of the network holder of `key` when it is ours and running."""
        info = await self.docker.find(holder_name(resource_name(self.settings, key)))
        if info is None or not NotebookDocker.is_running(info):
            return None
        if not belongs(NotebookDocker.container_labels(info), self._holder_labels(key)):
            return None
        return str(info["Id"])

    async def start(self, unit: Unit) -> None:
        await self.docker.start(unit.id)

    async def endpoint(self, unit: Unit) -> Endpoint | None:
        info = await self.docker.find(unit.id)
        holder = None if info is None else NotebookDocker.namespace_holder(info)
        if holder is not None:
            info = await self.docker.find(holder)  # the namespace's addresses are its
        if info is None:
            raise aiodocker.DockerError(404, "container vanished right after start")
        host, port = NotebookDocker.address(info, unit.name)
        return None if port is None else Endpoint(host, port)

    async def stop(self, notebook: Notebook) -> None:
        name = resource_name(self.settings, notebook.key)
        await self.docker.stop_and_remove(name)
        # A stopped notebook holds no network (nor holder): Docker's address pools are small.
        await self.docker.remove_network(name)

    async def remove(self, notebook: Notebook, *, purge_volume: bool) -> None:
        name = resource_name(self.settings, notebook.key)
        await self.remove_unit(name)
        if purge_volume and await self.docker.is_own_volume(name, labels(self.settings, notebook)):
            await self.docker.remove_volume(name)

    async def remove_unit(self, name: str, unit_id: str | None = None) -> None:
        await self.docker.stop_and_remove(unit_id or name)
        await self.docker.remove_network(name)

    async def remove_volume(self, key: str) -> None:
        name = resource_name(self.settings, key)
        if await self.docker.is_own_volume(
            name, {LABEL_INSTANCE: self.settings.instance, LABEL_KEY: key}
        ):
            await self.docker.remove_volume(name)

    async def stopped_since(self, unit: Unit, moment: datetime) -> bool:
        info = await self.docker.find(unit.id)
        return info is not None and engine_restart.stopped_by_engine(info, moment)

    async def tidy(self, wanted: Mapping[str, bool], units: list[Unit]) -> dict[str, int]:
        """Containers from before keys (named and labelled by id) go, their notebooks start
        again under their keys; so does a network whose notebook is gone, or is not meant
        to run and has no container, and so does such a notebook's network holder. (A
        notebook on its way up keeps its network even before its container exists: its
        job makes the network first; a spare's key is wanted too.)"""
        legacy = 0
        for info in await self.docker.list_ours(LEGACY_LABEL_ID):
            if not NotebookDocker.container_labels(info).get(LABEL_KEY):
                await self.docker.stop_and_remove(info["Id"])
                legacy += 1
        with_unit = {u.key for u in units}
        holders = 0
        for info in await self.docker.list_ours(LABEL_HOLDS):
            key = str(NotebookDocker.container_labels(info).get(LABEL_HOLDS) or "")
            if not wanted.get(key, False) and key not in with_unit:
                await self.docker.remove_now(info["Id"])
                holders += 1
        networks = 0
        for network in await self.docker.list_networks():
            key = str((network.get("Labels") or {}).get(LABEL_KEY) or "")
            if not key or network.get("Name") != resource_name(self.settings, key):
                continue
            if not wanted.get(key, False) and key not in with_unit:
                await self.docker.remove_network(network["Name"])
                networks += 1
        return {
            "orphans_removed": legacy,
            "networks_removed": networks,
            "holders_removed": holders,
        }

    async def reach_all(self) -> None:
        """Nothing to do: the worker and the api reach published ports or bridge addresses
        from the host itself."""

    def events(self) -> EventSubscription:
        return _Events(self.docker.docker, self.settings.instance)

    async def logs(self, name: str, unit_id: str) -> AsyncIterator[str]:
        container = self.docker.docker.containers.container(unit_id)
        async for chunk in container.log(stdout=True, stderr=True, follow=True):
            yield chunk

    async def close(self) -> None:
        await self.docker.docker.close()


class _Events:
    """Docker's event stream for this instance's notebook containers."""

    def __init__(self, docker: aiodocker.Docker, instance: str) -> None:
        self.docker = docker
        self.filters = {
            "type": ["container"],
            "label": [f"{LABEL_INSTANCE}={instance}", LABEL_KEY],
            "event": EVENTS,  # Docker matches `health_status` with any `: <health>` suffix
        }

    async def __aenter__(self) -> _Events:
        self.subscriber = self.docker.events.subscribe(filters=json.dumps(self.filters))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.docker.events.stop()
        self.docker.events.task = None

    async def get(self) -> RuntimeEvent | None:
        while True:
            event = await self.subscriber.get()
            if event is None:
                return None
            action = str(event.get("Action") or event.get("status") or "")
            attributes = (event.get("Actor") or {}).get("Attributes") or {}
            key = str(attributes.get(LABEL_KEY, ""))
            if key and action in ACTIONS:
                container_id = str((event.get("Actor") or {}).get("ID") or event.get("id") or "")
                nanos = event.get("timeNano")
                return RuntimeEvent(
                    action,
                    key,
                    container_id,
                    str(attributes.get("exitCode", "?")),
                    at=nanos / 1e9 if isinstance(nanos, int) else None,
                )
