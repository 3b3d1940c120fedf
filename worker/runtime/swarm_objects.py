"""Swarm's objects through a manager's Engine API: services, tasks, networks, volumes.

aiodocker covers listing and inspecting them; creating a service from a full spec and
updating one at its version are raw Engine API calls (`services/create`, `services/{id}/
update`), since aiodocker's own can only change a service's image. 404 and 409 are
outcomes here, as in worker/docker.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any

import aiodocker
from aiodocker.networks import DockerNetwork
from aiodocker.volumes import DockerVolume

from app.core.config import SWARM_SUBNET_PREFIX
from worker.docker import ForeignResource, ensure_network
from worker.runtime.swarm_spec import reach_addresses, subnet_of, with_subnet
from worker.spec import belongs

log = logging.getLogger(__name__)

Spec = dict[str, Any]
# How long a network's anchor lives at most (see `SwarmObjects.join`): far longer than
# connecting a few containers takes.
ANCHOR_SECONDS = 60


class SwarmObjects:
    def __init__(self, docker: aiodocker.Docker) -> None:
        self.docker = docker
        # One choice of a free subnet at a time in this worker: two starts would pick the same.
        self._choosing_subnets = asyncio.Lock()
        # And one join at a time: two would give the same free address to two containers.
        self._joining = asyncio.Lock()
        # Networks of which only this engine's stale copy is left (`delete_network`).
        self.stale_networks: set[str] = set()

    # ---------------------------------------------------------------- services and tasks

    async def service(self, name: str) -> dict[str, Any] | None:
        try:
            service: dict[str, Any] = dict(await self.docker.services.inspect(name))
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return None
            raise
        # Docker also answers to an id or its prefix: only an exact name is this service.
        return service if service["Spec"].get("Name") == name else None

    async def services(self, labels: list[str]) -> list[dict[str, Any]]:
        return [dict(s) for s in await self.docker.services.list(filters={"label": labels})]

    async def tasks(self, service: str | None = None) -> list[dict[str, Any]]:
        """Tasks, oldest first (of one service, or all)."""
        filters = {"service": service} if service else None
        tasks = [dict(t) for t in await self.docker.tasks.list(filters=filters)]
        return sorted(tasks, key=lambda t: str(t.get("CreatedAt")))

    async def create_service(self, spec: Spec) -> None:
        try:
            await self.docker._query_json("services/create", "POST", data=json.dumps(spec))
        except aiodocker.DockerError as exc:
            if exc.status != 409:  # a repeated job made it meanwhile: update it instead
                raise
            await self.update_service(spec["Name"], lambda _current: spec)

    async def update_service(self, name: str, change: Callable[[Spec], Spec]) -> None:
        """Apply `change(spec) -> spec` at the service's current version, again if another
        writer moved the version meanwhile (Swarm's optimistic concurrency)."""
        for _ in range(5):
            service = await self.service(name)
            if service is None:
                raise aiodocker.DockerError(404, f"service {name} is gone")
            try:
                await self.docker._query_json(
                    f"services/{service['ID']}/update",
                    "POST",
                    params={"version": str(service["Version"]["Index"])},
                    data=json.dumps(change(service["Spec"])),
                )
                return
            except aiodocker.DockerError as exc:
                if "out of sequence" not in str(exc.message):
                    raise
        raise aiodocker.DockerError(409, f"service {name} kept changing")

    async def delete_service(self, name: str) -> None:
        try:
            await self.docker.services.delete(name)
        except aiodocker.DockerError as exc:
            if exc.status != 404:
                raise

    # ---------------------------------------------------------------- networks

    async def network(self, name: str) -> dict[str, Any] | None:
        try:
            info = await DockerNetwork(self.docker, name).show()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return None
            raise
        return info if info.get("Name") == name else None

    async def networks(self, labels: list[str]) -> list[dict[str, Any]]:
        return await self.docker.networks.list(filters={"label": labels})

    async def ensure_network(self, spec: Spec, pool: IPv4Network) -> None:
        """The notebook's overlay as `spec` says (`worker.docker.ensure_network`), made on
        the first /24 of `pool` that no network of the swarm has."""

        async def create(spec: Spec) -> None:
            async with self._choosing_subnets:
                await self._create_network(spec, pool)

        async def remove(name: str) -> None:
            await retry_in_use(lambda: self.delete_network(name))

        await ensure_network(spec, self.network, create, remove)

    async def _create_network(self, spec: Spec, pool: IPv4Network) -> None:
        taken = [subnet_of(n) for n in await self.docker.networks.list()]
        for subnet in pool.subnets(new_prefix=SWARM_SUBNET_PREFIX):
            if any(t is not None and t.overlaps(subnet) for t in taken):
                continue
            try:
                await self.docker.networks.create(with_subnet(spec, subnet))
                return
            except aiodocker.DockerError as exc:
                if "overlap" not in str(exc.message).lower():
                    raise  # (overlaps: one made meanwhile elsewhere took it; the next one)
        raise aiodocker.DockerError(
            507, f"no address range left: every /24 of WORKSPACE_SWARM_SUBNETS ({pool}) is taken"
        )

    async def containers(self, labels: list[str]) -> list[str]:
        """Ids of this engine's running containers with these labels."""
        filters = json.dumps({"label": labels})
        return [c.id for c in await self.docker.containers.list(filters=filters)]

    async def join(self, network: str, container_ids: list[str], labels: Mapping[str, str]) -> None:
        """Connect these containers of this engine to the overlay `network`.

        A container of a service (the api's and the worker's, under the stack) can join an
        overlay only where the network is already present on its node, and Docker brings it
        to a node for a task or for a container outside any service, never for a service's
        own. So when it is not here yet, a short-lived container of ours, outside any
        service, holds it here while they join; their endpoints keep it afterwards."""
        if not container_ids:
            return
        async with self._joining:
            try:
                await self._connect_all(network, container_ids)
                return
            except aiodocker.DockerError as exc:
                if exc.status != 404:
                    raise
            async with self._anchor(network, container_ids[0], labels):
                await self._connect_all(network, container_ids)

    async def _connect_all(self, network: str, container_ids: list[str]) -> None:
        """Each at a free address of the network's upper half (`swarm_spec.reach_addresses`),
        as this node sees it: only containers joined this way, all on this node, use it."""
        info = await self.network(network)
        if info is None:
            raise aiodocker.DockerError(404, f"network {network} not found")
        here = info.get("Containers") or {}
        subnet = subnet_of(info)
        used = {
            IPv4Interface(str(e["IPv4Address"])).ip for e in here.values() if e.get("IPv4Address")
        }
        free = (a for a in (reach_addresses(subnet) if subnet else []) if a not in used)
        for container_id in container_ids:
            if container_id in here:
                continue  # joined already
            address = next(free, None)
            if subnet is not None and address is None:
                raise aiodocker.DockerError(507, f"network {network} has no address left to join")
            await self._connect(network, container_id, address)

    async def _connect(self, network: str, container_id: str, address: IPv4Address | None) -> None:
        config: Spec = {"Container": container_id}
        if address is not None:  # (None: a network Swarm chose the subnet of, from before)
            config["EndpointConfig"] = {"IPAMConfig": {"IPv4Address": str(address)}}
        try:
            await DockerNetwork(self.docker, network).connect(config)
        except aiodocker.DockerError as exc:
            if exc.status == 404 and "no such container" in str(exc.message).lower():
                return  # gone meanwhile (its replacement joins through reconcile)
            if exc.status not in (403, 409) or "already" not in str(exc.message):
                raise  # anything but "already attached"

    @contextlib.asynccontextmanager
    async def _anchor(
        self, network: str, like: str, labels: Mapping[str, str]
    ) -> AsyncIterator[None]:
        """A container on `network` that only sleeps, of the image container `like` runs
        (so one this node has). Should the worker die meanwhile, it ends by itself and
        Docker removes it."""
        image = (await self.docker.containers.get(like))["Image"]
        config = {
            "Image": image,
            "Cmd": ["sleep", str(ANCHOR_SECONDS)],
            "User": "65534:65534",
            "Labels": dict(labels),
            "HostConfig": {
                "NetworkMode": network,
                "AutoRemove": True,
                "ReadonlyRootfs": True,
                "CapDrop": ["ALL"],
                "SecurityOpt": ["no-new-privileges"],
                "Memory": 16 * 1024 * 1024,
                "PidsLimit": 4,
            },
        }
        anchor = await self.docker.containers.run(
            config, name=f"{network}-anchor-{uuid.uuid4().hex[:8]}"
        )
        try:
            yield
        finally:
            with contextlib.suppress(aiodocker.DockerError):
                await anchor.delete(force=True)

    async def disconnect(self, network: str, container_id: str) -> None:
        with contextlib.suppress(aiodocker.DockerError):
            await DockerNetwork(self.docker, network).disconnect(
                {"Container": container_id, "Force": True}
            )

    async def delete_network(self, name: str) -> None:
        try:
            await DockerNetwork(self.docker, name).delete()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return
            if exc.status == 500 and "not found" in str(exc.message):
                # This engine's own copy of a network the swarm no longer has: Docker keeps
                # it when a container joined by hand was still on it as the network's last
                # task or attachment went, and offers no way to remove it but a restart.
                if name not in self.stale_networks:
                    log.info("network %s: only a stale copy is left on this engine", name)
                self.stale_networks.add(name)
                return
            raise

    # ---------------------------------------------------------------- volumes

    async def check_volume(self, name: str, expected: Mapping[str, str]) -> None:
        """A volume of that name on this engine must be the notebook's. (Another node's
        volumes are out of this engine's sight; their names hold the random key.)"""
        try:
            info = await DockerVolume(self.docker, name).show()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return
            raise
        if not belongs(info.get("Labels"), expected):
            raise ForeignResource(
                f"volume {name} exists and is labelled for another notebook or owner; "
                "it was not mounted"
            )

    async def delete_volume(self, name: str, expected: Mapping[str, str]) -> None:
        try:
            info = await DockerVolume(self.docker, name).show()
            if belongs(info.get("Labels"), expected):
                await DockerVolume(self.docker, name).delete()
        except aiodocker.DockerError as exc:
            if exc.status != 404:
                raise


async def retry_in_use(action: Callable[[], Awaitable[None]], within: float = 30.0) -> None:
    """A network or volume stays in use until the removed tasks' containers are gone on
    their node, which Swarm does shortly after their service goes."""
    deadline = time.monotonic() + within
    while True:
        try:
            await action()
            return
        except aiodocker.DockerError as exc:
            in_use = exc.status in (403, 409) or "in use" in str(exc.message)
            if not in_use or time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.2)
