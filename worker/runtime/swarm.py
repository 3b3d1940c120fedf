"""The Swarm runtime: each notebook a one-replica service on an overlay network of its own.

Talks to a manager's Engine API (aiodocker). A stopped notebook is its service scaled to 0,
so the service keeps what its first start decided: the node that holds its volume (local
volumes live on one node). Each start writes a fresh run token into the task's container
labels, then scales to 1; the token is the unit id the row tracks before any task exists.

Reaching a notebook: by its service name, over its overlay. The api's and the worker's
containers carry the label `workspace.reach=<instance>` and are connected to every notebook
network as it is made (and again by reconcile, after either restarted). This works for the
containers on the manager the worker talks to, which is why the stack places both there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiodocker
from aiodocker.multiplexed import multiplexed_result_stream

from app.models.notebook import Notebook
from worker.docker import LABEL_CONFIG, LABEL_ID, LABEL_INSTANCE
from worker.runtime import swarm_events, swarm_networks
from worker.runtime.base import Endpoint, EventSubscription, Unit
from worker.runtime.swarm_spec import (
    LABEL_RUN,
    PORT,
    SwarmOptions,
    config_hash,
    network_spec,
    pinned_node,
    service_spec,
    task_template,
)

UP_STATES = frozenset({"starting", "running"})
DONE_STATES = frozenset({"complete", "failed", "shutdown", "rejected", "orphaned", "remove"})


def resource_name(instance: str, notebook_id: int) -> str:
    return f"{instance}-nb-{notebook_id}"


class SwarmRuntime:
    kind = "swarm"

    def __init__(self, docker: aiodocker.Docker, options: SwarmOptions) -> None:
        self.docker = docker
        self.options = options

    @property
    def label_filter(self) -> list[str]:
        return [f"{LABEL_INSTANCE}={self.options.instance}", LABEL_ID]

    async def ping(self) -> None:
        info = await self.docker.system.info()
        swarm = info.get("Swarm") or {}
        if swarm.get("LocalNodeState") != "active" or not swarm.get("ControlAvailable"):
            raise ConnectionError("this Docker engine is not a Swarm manager")

    def config_hash(self, notebook: Notebook) -> str:
        assert notebook.id is not None
        name = resource_name(self.options.instance, notebook.id)
        return config_hash(task_template(notebook, self.options, name))

    # ---------------------------------------------------------------- inspect

    async def _service(self, name: str) -> dict[str, Any] | None:
        try:
            service: dict[str, Any] = dict(await self.docker.services.inspect(name))
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return None
            raise
        return service

    async def tasks_of(self, name: str) -> list[dict[str, Any]]:
        tasks = await self.docker.tasks.list(filters={"service": name})
        return sorted((dict(t) for t in tasks), key=lambda t: str(t.get("CreatedAt")))

    def unit_of(self, service: dict[str, Any], tasks: list[dict[str, Any]]) -> Unit:
        spec = service["Spec"]
        container_labels = spec["TaskTemplate"]["ContainerSpec"].get("Labels") or {}
        run = str(container_labels.get(LABEL_RUN, ""))
        own = [t for t in tasks if t.get("ServiceID") == service["ID"]]
        current = [t for t in own if _task_run(t) == run]
        # `starting` too: the container runs and its health check has not passed yet.
        running = any(
            t.get("DesiredState") == "running" and t["Status"].get("State") in UP_STATES
            for t in current
        )
        nodes = [str(t["NodeID"]) for t in own if t.get("NodeID")]
        notebook_id = str((spec.get("Labels") or {}).get(LABEL_ID, ""))
        return Unit(
            name=str(spec["Name"]),
            id=run,
            notebook_id=int(notebook_id) if notebook_id.isdigit() else None,
            running=running,
            config_hash=(spec.get("Labels") or {}).get(LABEL_CONFIG),
            node=nodes[-1] if nodes else pinned_node(spec),
        )

    async def find(self, name: str) -> Unit | None:
        service = await self._service(name)
        if service is None:
            return None
        return self.unit_of(service, await self.tasks_of(name))

    async def list_units(self) -> list[Unit]:
        services = await self.docker.services.list(filters={"label": self.label_filter})
        if not services:
            return []
        tasks = [dict(t) for t in await self.docker.tasks.list()]
        tasks.sort(key=lambda t: str(t.get("CreatedAt")))
        return [self.unit_of(dict(s), tasks) for s in services]

    # ---------------------------------------------------------------- lifecycle

    async def prepare(self, notebook: Notebook) -> Unit:
        assert notebook.id is not None
        name = resource_name(self.options.instance, notebook.id)
        await swarm_networks.ensure(self.docker, network_spec(notebook, self.options, name))
        await swarm_networks.join(self.docker, self.options.instance, name)
        run = uuid.uuid4().hex
        service = await self._service(name)
        if service is None:
            spec = service_spec(notebook, self.options, name, run=run)
            await self._create(spec)
        else:
            pin = pinned_node(service["Spec"])
            if pin is None and self.options.volume_driver is None:
                # Its volume is where its last task ran: from now on it runs there.
                nodes = [t["NodeID"] for t in await self.tasks_of(name) if t.get("NodeID")]
                pin = nodes[-1] if nodes else None
            spec = service_spec(notebook, self.options, name, run=run, pin=pin)
            await self._update(name, lambda _current: spec)
        return Unit(name, run, notebook.id, running=False, config_hash=self.config_hash(notebook))

    async def start(self, unit: Unit) -> None:
        await self._update(unit.name, lambda spec: _with_replicas(spec, 1))

    async def endpoint(self, unit: Unit) -> Endpoint | None:
        return Endpoint(unit.name, PORT)

    async def stop(self, name: str, *, grace_seconds: int = 10) -> None:
        if await self._service(name) is None:
            return
        await self._update(name, lambda spec: _with_replicas(spec, 0))
        deadline = time.monotonic() + grace_seconds + 10
        while time.monotonic() < deadline:
            tasks = await self.tasks_of(name)
            if all(t["Status"].get("State") in DONE_STATES for t in tasks):
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{name}: tasks still running {grace_seconds + 10} s after scale 0")

    async def remove(self, name: str, *, purge_volume: bool = False) -> None:
        with swarm_networks.unless_gone():
            await self.docker.services.delete(name)
        await swarm_networks.leave(self.docker, self.options.instance, name)
        await swarm_networks.retry_in_use(lambda: swarm_networks.delete(self.docker, name))
        if purge_volume:
            # Only this engine's volume: a volume on another node needs that node's engine
            # (or a cluster-wide volume driver, which removes it everywhere).
            await swarm_networks.retry_in_use(lambda: delete_volume(self.docker, name))

    async def reach_all(self) -> None:
        for unit in await self.list_units():
            with contextlib.suppress(aiodocker.DockerError):
                await swarm_networks.join(self.docker, self.options.instance, unit.name)

    def events(self) -> EventSubscription:
        return swarm_events.Subscription(self)

    async def logs(self, unit: Unit) -> AsyncIterator[str]:
        """The output of the task of `unit`'s start, from whichever node runs it."""
        task_id = await self._task_of_run(unit)
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

    async def _task_of_run(self, unit: Unit, within: float = 30.0) -> str | None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for task in reversed(await self.tasks_of(unit.name)):
                if _task_run(task) == unit.id:
                    return str(task["ID"])
            await asyncio.sleep(0.1)
        return None

    async def _create(self, spec: dict[str, Any]) -> None:
        try:
            await self.docker._query_json("services/create", "POST", data=json.dumps(spec))
        except aiodocker.DockerError as exc:
            if exc.status != 409:  # a repeated job made it meanwhile: update it instead
                raise
            await self._update(spec["Name"], lambda _current: spec)

    async def _update(self, name: str, change: Any) -> None:
        """Apply `change(spec) -> spec` at the service's current version, again if another
        writer moved the version meanwhile (Swarm's optimistic concurrency)."""
        for _ in range(5):
            service = await self._service(name)
            if service is None:
                raise aiodocker.DockerError(404, f"service {name} is gone")
            spec = change(service["Spec"])
            try:
                await self.docker._query_json(
                    f"services/{service['ID']}/update",
                    "POST",
                    params={"version": str(service["Version"]["Index"])},
                    data=json.dumps(spec),
                )
                return
            except aiodocker.DockerError as exc:
                if "out of sequence" not in str(exc.message):
                    raise
        raise aiodocker.DockerError(409, f"service {name} kept changing")


def _task_run(task: dict[str, Any]) -> str:
    spec = (task.get("Spec") or {}).get("ContainerSpec") or {}
    return str((spec.get("Labels") or {}).get(LABEL_RUN, ""))


def _with_replicas(spec: dict[str, Any], replicas: int) -> dict[str, Any]:
    return {**spec, "Mode": {"Replicated": {"Replicas": replicas}}}


async def delete_volume(docker: aiodocker.Docker, name: str) -> None:
    with swarm_networks.unless_gone():
        await aiodocker.volumes.DockerVolume(docker, name).delete()
