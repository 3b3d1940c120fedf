"""The one place that owns notebook containers, volumes and networks in Docker (aiodocker).

Docker's 404 and 409 are outcomes here (already gone, already there), not failures. What
already exists under a notebook's name is used only when its labels say it is that
notebook's (`worker/spec.py`): a volume or network that is someone else's is refused with
`ForeignResource`, and nothing is changed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiodocker
from aiodocker.containers import DockerContainer
from aiodocker.volumes import DockerVolume

from worker.spec import (
    JUPYTER_PORT,
    JUPYTER_PORT_NUMBER,
    LABEL_CONFIG,
    LABEL_INSTANCE,
    belongs,
    holder_name,
)

log = logging.getLogger(__name__)


class Refused(Exception):
    """A step the job will not take; the message becomes the notebook's status reason."""


class ForeignResource(Refused):
    """A Docker object under the notebook's name that belongs to something else."""


# The fields of Docker's container list that reconcile and the watcher read.
LISTED = ("Id", "Labels", "State")


class NotebookDocker:
    def __init__(self, docker: aiodocker.Docker, instance: str) -> None:
        self.docker = docker
        self.instance = instance

    # ------------------------------------------------------------------ containers

    async def find(self, name: str) -> dict[str, Any] | None:
        """Inspect data of the container called `name` (or with that id), or None."""
        try:
            info: dict[str, Any] = await self.docker.containers.container(name).show()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return None
            raise
        return info

    async def find_own(self, name: str, expected: Mapping[str, str]) -> dict[str, Any] | None:
        info = await self.find(name)
        if info is not None and not belongs(self.container_labels(info), expected):
            raise ForeignResource(f"a container named {name} exists that is not this notebook's")
        return info

    async def list_ours(self, *labels: str) -> list[dict[str, Any]]:
        """Containers of this instance (and with these labels, `name` or `name=value`), as
        Docker lists them: `Id`, `Labels` and `State` of each."""
        filters = json.dumps({"label": [f"{LABEL_INSTANCE}={self.instance}", *labels]})
        containers = await self.docker.containers.list(all=True, filters=filters)
        return [{key: c[key] for key in LISTED} for c in containers]

    async def create(
        self, name: str, spec: dict[str, Any], expected: Mapping[str, str]
    ) -> DockerContainer:
        """Create the container, or return the one a previous run of the job made."""
        try:
            return await self.docker.containers.create(spec, name=name)
        except aiodocker.DockerError as exc:
            if exc.status != 409:
                raise
        container = await self.docker.containers.get(name)
        if not belongs(self.container_labels(await container.show()), expected):
            raise ForeignResource(f"a container named {name} exists that is not this notebook's")
        return container

    async def start(self, container_id: str) -> None:
        try:
            await self.docker.containers.container(container_id).start()
        except aiodocker.DockerError as exc:
            if exc.status != 304:  # already started
                raise

    async def stop_and_remove(self, name_or_id: str, *, grace_seconds: int = 10) -> None:
        container = self.docker.containers.container(name_or_id)
        try:
            await container.stop(t=grace_seconds)
        except aiodocker.DockerError as exc:
            if exc.status not in (304, 404):
                raise
        try:
            await container.delete(force=True, v=False)
        except aiodocker.DockerError as exc:
            if exc.status not in (404, 409):  # 409: removal already in progress
                raise

    async def remove_now(self, name_or_id: str) -> None:
        """Kill and remove a container that holds nothing to save (a network holder)."""
        try:
            await self.docker.containers.container(name_or_id).delete(force=True, v=False)
        except aiodocker.DockerError as exc:
            if exc.status not in (404, 409):
                raise

    async def run_to_end(self, name: str, spec: dict[str, Any]) -> int:
        """Run a one-off container to its end; its exit code. It is removed either way."""
        await self.stop_and_remove(name, grace_seconds=0)  # left by a worker that died
        container = await self.docker.containers.create(spec, name=name)
        try:
            await container.start()
            result = await container.wait()
            return int(result.get("StatusCode", -1))
        finally:
            await self.stop_and_remove(container.id, grace_seconds=0)

    # ------------------------------------------------------------------ volumes

    async def volume_labels(self, name: str) -> dict[str, str] | None:
        """The labels of volume `name`, or None when there is no such volume."""
        try:
            info = await DockerVolume(self.docker, name).show()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return None
            raise
        return dict(info.get("Labels") or {})

    async def ensure_volume(self, name: str, expected: Mapping[str, str]) -> None:
        """The notebook's volume, made if missing; refused if it is someone else's.

        Docker answers a create of an existing name with the volume that is there (its
        labels unchanged), so the labels are checked on what it answers.
        """
        await self.docker.volumes.create({"Name": name, "Labels": dict(expected)})
        if not belongs(await self.volume_labels(name), expected):
            raise ForeignResource(
                f"volume {name} exists and is labelled for another notebook or owner; "
                "it was not mounted"
            )

    async def is_own_volume(self, name: str, expected: Mapping[str, str]) -> bool:
        """Whether volume `name` exists and is labelled as the notebook's."""
        found = await self.volume_labels(name)
        if found is not None and not belongs(found, expected):
            log.warning("volume %s is labelled for something else: left alone", name)
        return found is not None and belongs(found, expected)

    async def remove_volume(self, name: str) -> None:
        try:
            await DockerVolume(self.docker, name).delete()
        except aiodocker.DockerError as exc:
            if exc.status != 404:
                raise

    # ------------------------------------------------------------------ networks

    async def network_info(self, name: str) -> dict[str, Any] | None:
        try:
            info = await (await self.docker.networks.get(name)).show()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return None
            raise
        # Docker also answers to a prefix of an id: only an exact name is this network.
        return info if info.get("Name") == name else None

    async def ensure_network(self, spec: dict[str, Any]) -> None:
        """The notebook's own network as `spec` says, made if missing (`ensure_network`)."""
        await ensure_network(spec, self.network_info, self.create_network, self.remove_network)

    async def create_network(self, spec: dict[str, Any]) -> None:
        await self.docker.networks.create(spec)

    async def remove_network(self, name: str) -> None:
        """The network and its holder (worker/spec.py `holder_spec`), if it has one."""
        await self.remove_now(holder_name(name))
        try:
            await (await self.docker.networks.get(name)).delete()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return
            if exc.status in (403, 409):  # still has endpoints: left for reconcile
                log.warning("network %s not removed: %s", name, exc.message)
                return
            raise

    async def list_networks(self) -> list[dict[str, Any]]:
        return await self.docker.networks.list(
            filters={"label": [f"{LABEL_INSTANCE}={self.instance}"]}
        )

    # ------------------------------------------------------------------ inspect data

    @staticmethod
    def container_labels(info: dict[str, Any]) -> dict[str, Any]:
        return dict((info.get("Config") or {}).get("Labels") or info.get("Labels") or {})

    @staticmethod
    def address(info: dict[str, Any], network: str) -> tuple[str | None, int | None]:
        """Where the notebook's Jupyter is reached: (None, published port on the host), or
        (its address on its own network, Jupyter's port) when it publishes none."""
        settings = info.get("NetworkSettings") or {}
        for binding in (settings.get("Ports") or {}).get(JUPYTER_PORT) or []:
            if binding.get("HostPort"):
                return None, int(binding["HostPort"])
        own = (settings.get("Networks") or {}).get(network) or {}
        if own.get("IPAddress"):
            return str(own["IPAddress"]), JUPYTER_PORT_NUMBER
        return None, None

    @staticmethod
    def namespace_holder(info: dict[str, Any]) -> str | None:
        """The id of the container whose network namespace this one joined, or None."""
        mode = str((info.get("HostConfig") or {}).get("NetworkMode") or "")
        return mode.removeprefix("container:") if mode.startswith("container:") else None

    @staticmethod
    def is_running(info: dict[str, Any]) -> bool:
        return bool((info.get("State") or {}).get("Running"))

    @staticmethod
    def config_hash(info: dict[str, Any]) -> str | None:
        value = NotebookDocker.container_labels(info).get(LABEL_CONFIG)
        return str(value) if value else None


async def ensure_network(
    spec: dict[str, Any],
    look_up: Callable[[str], Awaitable[dict[str, Any] | None]],
    create: Callable[[dict[str, Any]], Awaitable[None]],
    remove: Callable[[str], Awaitable[None]],
) -> None:
    """A notebook's own network as `spec` says, made if missing, on either runtime.

    One of another notebook's is refused; one of its own left with other settings (the
    egress setting changed) has no unit on it any more and is made again.
    """
    name = spec["Name"]
    for _ in range(2):
        info = await look_up(name)
        if info is None:
            try:
                await create(spec)
                return
            except aiodocker.DockerError as exc:
                if exc.status != 409:  # made meanwhile by another run: look again
                    raise
                continue
        if not belongs(info.get("Labels"), spec["Labels"]):
            raise ForeignResource(
                f"network {name} exists and is labelled for another notebook or owner"
            )
        if bool(info.get("Internal")) == spec["Internal"]:
            return
        await remove(name)
    raise ForeignResource(f"network {name} could not be made")


def out_of_addresses(exc: aiodocker.DockerError) -> bool:
    """Whether Docker refused a network for want of an address range (its pools are small)."""
    return "address pool" in str(exc.message).lower()
