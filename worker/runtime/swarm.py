"""The Swarm runtime: each notebook a one-replica service on an overlay network of its own.

Talks to a manager's Engine API (`WORKSPACE_RUNTIME=swarm`). A stopped notebook is its
service scaled to 0, so the service keeps what its first start decided: the node that holds
its volume (local volumes live on one node). Each start writes a fresh run token into the
task's container labels, then scales to 1; the token is the unit id the row tracks before
any task exists.

Reaching a notebook: at its task's address on its overlay, which Swarm allocates before the
task starts. (Its service name resolves only once Swarm counts the task as running, which
with a health check is after the first check passes, seconds after Jupyter answers.) The
api's and the worker's containers carry the label `workspace.reach=<instance>` and are
connected to a notebook's network at each start (and again by reconcile, after either
restarted). This works for the containers on the manager the worker talks to, which is why
the stack places both there.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

import aiodocker
from aiodocker.multiplexed import multiplexed_result_stream

from app.core.config import Settings
from app.models.notebook import Notebook
from worker.docker import ForeignResource
from worker.runtime import swarm_events
from worker.runtime.base import Endpoint, EventSubscription, Unit
from worker.runtime.swarm_objects import SwarmObjects, retry_in_use
from worker.runtime.swarm_spec import (
    LABEL_REACH,
    LABEL_RUN,
    PORT,
    STOP_GRACE_SECONDS,
    SwarmOptions,
    config_hash,
    network_spec,
    pinned_node,
    service_spec,
    task_template,
)
from worker.spec import LABEL_CONFIG, LABEL_INSTANCE, LABEL_KEY, belongs, labels, resource_name

UP_STATES = frozenset({"starting", "running"})
DONE_STATES = frozenset({"complete", "failed", "shutdown", "rejected", "orphaned", "remove"})


class SwarmRuntime:
    kind = "swarm"

    def __init__(
        self,
        docker: aiodocker.Docker,
        settings: Settings,
        *,
        poll_seconds: float = swarm_events.POLL_SECONDS,
    ) -> None:
        self.docker = docker
        self.settings = settings
        self.options = SwarmOptions.of(settings)
        self.objects = SwarmObjects(docker)
        self.poll_seconds = poll_seconds

    @property
    def label_filter(self) -> list[str]:
        return [f"{LABEL_INSTANCE}={self.settings.instance}", LABEL_KEY]

    @property
    def engine(self) -> aiodocker.Docker:
        return self.docker

    async def ping(self) -> None:
        info = await self.docker.system.info()
        swarm = info.get("Swarm") or {}
        if swarm.get("LocalNodeState") != "active" or not swarm.get("ControlAvailable"):
            raise ConnectionError("this Docker engine is not a Swarm manager")

    def _name(self, notebook: Notebook) -> str:
        return resource_name(self.settings, notebook.key)

    def config_hash(self, notebook: Notebook) -> str:
        owned = labels(self.settings, notebook)
        return config_hash(task_template(notebook, self.options, self._name(notebook), owned))

    # ---------------------------------------------------------------- inspect

    def unit_of(self, service: dict[str, Any], tasks: list[dict[str, Any]]) -> Unit:
        spec = service["Spec"]
        service_labels = spec.get("Labels") or {}
        run = str((spec["TaskTemplate"]["ContainerSpec"].get("Labels") or {}).get(LABEL_RUN, ""))
        own = [t for t in tasks if t.get("ServiceID") == service["ID"]]
        # `starting` too: the container runs and its health check has not passed yet.
        running = any(
            _task_run(t) == run
            and t.get("DesiredState") == "running"
            and t["Status"].get("State") in UP_STATES
            for t in own
        )
        nodes = [str(t["NodeID"]) for t in own if t.get("NodeID")]
        key = service_labels.get(LABEL_KEY)
        return Unit(
            name=str(spec["Name"]),
            id=run,
            key=str(key) if key else None,
            running=running,
            config_hash=service_labels.get(LABEL_CONFIG),
            active=spec["Mode"].get("Replicated", {}).get("Replicas", 0) > 0,
            node=nodes[-1] if nodes else pinned_node(spec),
        )

    async def find(self, notebook: Notebook) -> Unit | None:
        name = self._name(notebook)
        service = await self.objects.service(name)
        if service is None:
            return None
        if not belongs(service["Spec"].get("Labels"), labels(self.settings, notebook)):
            raise ForeignResource(f"a service named {name} exists that is not this notebook's")
        return self.unit_of(service, await self.objects.tasks(name))

    async def list_units(self) -> list[Unit]:
        services = await self.objects.services(self.label_filter)
        tasks = await self.objects.tasks() if services else []
        return [self.unit_of(s, tasks) for s in services]

    # ---------------------------------------------------------------- lifecycle

    async def prepare(self, notebook: Notebook) -> Unit:
        name = self._name(notebook)
        owned = labels(self.settings, notebook)
        await self.objects.ensure_network(
            network_spec(self.options, name, owned), self.options.subnets
        )
        await self.objects.check_volume(name, owned)
        run = uuid.uuid4().hex
        existing = await self.find(notebook)
        if existing is None:
            await self.objects.create_service(
                service_spec(notebook, self.options, name, owned, run=run)
            )
        else:
            pin = existing.node if self.options.volume_driver is None else None
            # Its volume is where its last task ran: from now on it runs there.
            spec = service_spec(notebook, self.options, name, owned, run=run, pin=pin)
            await self.objects.update_service(name, lambda _current: spec)
        return Unit(name, run, notebook.key, False, self.config_hash(notebook), active=False)

    async def make_network(self, key: str) -> bool:
        """None ahead: an overlay network is only made on the managers, quickly; a task's
        attachment on its node is what a start waits for, and that needs the task."""
        return False

    async def spare_ready(self, key: str) -> bool:
        return True  # no spares are made

    async def start(self, unit: Unit) -> None:
        # Joining the network makes it on this node (a second or so): while the task starts.
        await asyncio.gather(
            self.objects.update_service(unit.name, lambda spec: _with_replicas(spec, 1)),
            self._join(unit.name),
        )

    async def endpoint(self, unit: Unit, within: float = 30.0) -> Endpoint | None:
        """The address of `unit`'s task on the notebook's overlay (None if it gets none)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for task in reversed(await self.objects.tasks(unit.name)):
                if _task_run(task) != unit.id:
                    continue
                for attachment in task.get("NetworksAttachments") or []:
                    addresses = attachment.get("Addresses") or []
                    if attachment["Network"]["Spec"]["Name"] == unit.name and addresses:
                        return Endpoint(str(addresses[0]).split("/")[0], PORT)
            await asyncio.sleep(0.01)
        return None

    async def stop(self, notebook: Notebook) -> None:
        if await self.find(notebook) is not None:
            await self._scale_to_zero(self._name(notebook))

    async def _scale_to_zero(self, name: str) -> None:
        """Scaled to 0, and back only once no task of it runs on any node."""
        await self.objects.update_service(name, lambda spec: _with_replicas(spec, 0))
        deadline = time.monotonic() + STOP_GRACE_SECONDS + 10
        while time.monotonic() < deadline:
            tasks = await self.objects.tasks(name)
            if all(t["Status"].get("State") in DONE_STATES for t in tasks):
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{name}: a task still runs {STOP_GRACE_SECONDS + 10} s after scale 0")

    async def remove(self, notebook: Notebook, *, purge_volume: bool) -> None:
        name = self._name(notebook)
        await self.remove_unit(name)
        if purge_volume:
            # This engine's volume: one on another node needs that node's engine (or a
            # cluster-wide volume driver, which removes it everywhere).
            owned = labels(self.settings, notebook)
            await retry_in_use(lambda: self.objects.delete_volume(name, owned))

    async def remove_unit(self, name: str, unit_id: str | None = None) -> None:
        # The api's and the worker's containers leave first, so that the network's last
        # task takes this engine's copy of it along (a copy left behind stays until dockerd
        # restarts). Stopped next: once a service is deleted its tasks are out of sight
        # while their containers still stop, and `removed` must mean nothing of it runs.
        for container_id in await self._reachers():
            await self.objects.disconnect(name, container_id)
        if await self.objects.service(name) is not None:
            await self._scale_to_zero(name)
        await self.objects.delete_service(name)
        await retry_in_use(lambda: self.objects.delete_network(name))
        # The manager forgets it at once, this node's copy goes a moment later (or never,
        # when stale: nothing to wait for then).
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and name not in self.objects.stale_networks:
            if await self.objects.network(name) is None:
                return
            await asyncio.sleep(0.05)

    async def remove_volume(self, key: str) -> None:
        expected = {LABEL_INSTANCE: self.settings.instance, LABEL_KEY: key}
        await retry_in_use(
            lambda: self.objects.delete_volume(resource_name(self.settings, key), expected)
        )

    async def stopped_since(self, unit: Unit, moment: datetime) -> bool:
        """Never: Swarm starts a replicated service's task again itself, on a node that
        answers, and its events report that start."""
        return False

    async def tidy(self, wanted: Mapping[str, bool], units: list[Unit]) -> dict[str, int]:
        """A notebook network without a service: its notebook is gone, or its job died
        between making the network and the service (then it is made again)."""
        with_unit = {u.key for u in units}
        removed = 0
        for network in await self.objects.networks(self.label_filter):
            if network["Name"] in self.objects.stale_networks:
                continue  # only this engine's copy is left; a restart of dockerd ends it
            key = str((network.get("Labels") or {}).get(LABEL_KEY) or "")
            if key and key not in with_unit and not wanted.get(key, False):
                await self.remove_unit(str(network["Name"]))
                removed += 1
        return {"networks_removed": removed}

    async def reach_all(self) -> None:
        for unit in await self.list_units():
            if unit.active:
                await self._join(unit.name)

    def events(self) -> EventSubscription:
        return swarm_events.Subscription(self, self.poll_seconds)

    async def logs(self, name: str, unit_id: str) -> AsyncIterator[str]:
        """The output of the task of that start, from whichever node runs it."""
        task_id = await self._task_of_run(name, unit_id)
        if task_id is None:
            return
        params = {"follow": "1", "stdout": "1", "stderr": "1"}
        timeout = self.docker._resolve_long_running_timeout(None)
        async with self.docker._query(
            f"tasks/{task_id}/logs", params=params, timeout=timeout
        ) as response:
            async for chunk in multiplexed_result_stream(response):
                yield chunk

    async def close(self) -> None:
        await self.docker.close()

    # ---------------------------------------------------------------- helpers

    async def _task_of_run(self, name: str, run: str, within: float = 30.0) -> str | None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for task in reversed(await self.objects.tasks(name)):
                if _task_run(task) == run:
                    return str(task["ID"])
            await asyncio.sleep(0.1)
        return None

    async def _reachers(self) -> list[str]:
        return await self.objects.containers([f"{LABEL_REACH}={self.settings.instance}"])

    async def _join(self, network: str) -> None:
        labels = {LABEL_INSTANCE: self.settings.instance}
        await self.objects.join(network, await self._reachers(), labels)


def _task_run(task: dict[str, Any]) -> str:
    spec = (task.get("Spec") or {}).get("ContainerSpec") or {}
    return str((spec.get("Labels") or {}).get(LABEL_RUN, ""))


def _with_replicas(spec: dict[str, Any], replicas: int) -> dict[str, Any]:
    return {**spec, "Mode": {"Replicated": {"Replicas": replicas}}}
