"""The volumes part: each notebook volume copied as a tar through a helper container.

The helper is created, never started: Docker's archive endpoint reads and writes a created
container's mounts itself, so nothing runs in it, and it has no network, no capabilities and
the notebook user. Its image is one the engine already has (no pull is needed). A running
notebook is paused (its processes frozen, so nothing writes) for the copy of its volume and
unpaused right after: the copy is the volume as it was at one instant, as after a power cut,
and kernels keep their state. Archives stream between the engine and the file, never whole
in memory. Names and labels are the worker's (worker/spec.py): a volume goes back under
its notebook's key and owner, so the worker mounts it for that notebook and no other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import tarfile
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath
from typing import Any

import aiodocker
from aiodocker.volumes import DockerVolume

from app.backup.manifest import CHUNK, BackupError, FileEntry, Hasher, VolumePart, check
from app.core.config import Settings
from worker.spec import LABEL_HOLDS, LABEL_INSTANCE, LABEL_KEY, LABEL_OWNER, LEGACY_LABEL_ID

MOUNT = "volume"  # where the helper mounts the volume: the top folder of every archive
LABEL_HELPER = "workspace.backup"


def docker_client(settings: Settings) -> aiodocker.Docker:
    return aiodocker.Docker(url=settings.docker_url) if settings.docker_url else aiodocker.Docker()


class Volumes:
    def __init__(self, docker: aiodocker.Docker, settings: Settings) -> None:
        self.docker = docker
        self.settings = settings
        self.instance = settings.instance

    async def ping(self) -> None:
        try:
            await self.docker.version()
        except (aiodocker.DockerError, OSError) as exc:
            raise BackupError(f"the Docker engine does not answer: {exc}") from None

    async def ours(self) -> dict[str, tuple[str, int | None]]:
        """This instance's notebook volumes: by notebook key (or, from before keys, id),
        their name and owner."""
        found = await self.docker.volumes.list(
            filters={"label": [f"{LABEL_INSTANCE}={self.instance}"]}
        )
        volumes: dict[str, tuple[str, int | None]] = {}
        for volume in found.get("Volumes") or []:
            labels = volume.get("Labels") or {}
            key, legacy = str(labels.get(LABEL_KEY, "")), str(labels.get(LEGACY_LABEL_ID, ""))
            owner = str(labels.get(LABEL_OWNER, ""))
            if key:
                volumes[key] = (volume["Name"], int(owner) if owner.isdigit() else None)
            elif legacy.isdigit():
                volumes[legacy] = (volume["Name"], None)
        return volumes

    def name(self, notebook: str) -> str:
        """The volume's (and its container's) name for a notebook key or old id."""
        return f"{self.instance}-nb-{notebook}"

    async def containers(self) -> list[str]:
        """The ids of this instance's containers that hold work: notebooks' and helpers'.
        Not the network holders of spare networks, which a worker that ran once leaves
        behind on an install with nothing in it yet."""
        return [
            c.id for c in await self._all_containers() if LABEL_HOLDS not in (c["Labels"] or {})
        ]

    async def _all_containers(self) -> list[Any]:
        label = json.dumps({"label": [f"{LABEL_INSTANCE}={self.instance}"]})
        return list(await self.docker.containers.list(all=True, filters=label))

    async def helper_image(self) -> str:
        """The first allowed notebook image the engine has."""
        for image in self.settings.notebook_images:
            try:
                await self.docker.images.inspect(image)
            except aiodocker.DockerError as exc:
                if exc.status != 404:
                    raise
                continue
            return image
        raise BackupError(
            "the Docker engine has none of the notebook images "
            f"({', '.join(self.settings.notebook_images)}) to make the helper container from: "
            "build them first (make images)"
        )

    @contextlib.asynccontextmanager
    async def _helper(self, image: str, volume: str, *, read_only: bool) -> AsyncIterator[str]:
        spec: dict[str, Any] = {
            "Image": image,
            "Entrypoint": ["true"],
            "User": "1000:1000",
            "NetworkDisabled": True,
            "Labels": {LABEL_INSTANCE: self.instance, LABEL_HELPER: "1"},
            "HostConfig": {
                "NetworkMode": "none",
                "Mounts": [
                    {
                        "Type": "volume",
                        "Source": volume,
                        "Target": f"/{MOUNT}",
                        "ReadOnly": read_only,
                    }
                ],
                "Privileged": False,
                "CapDrop": ["ALL"],
                "SecurityOpt": ["no-new-privileges:true"],
            },
        }
        name = f"{self.instance}-backup-{secrets.token_hex(4)}"
        container = await self.docker.containers.create(spec, name=name)
        try:
            yield container.id
        finally:
            with contextlib.suppress(aiodocker.DockerError):
                await container.delete(force=True, v=False)

    @contextlib.asynccontextmanager
    async def _paused(self, name: str) -> AsyncIterator[bool]:
        """Pauses the notebook's container (named as its volume) while it runs; True when
        it did."""
        container = self.docker.containers.container(name)
        try:
            state = (await container.show()).get("State") or {}
        except aiodocker.DockerError as exc:
            if exc.status != 404:
                raise
            state = {}
        paused = bool(state.get("Running")) and not state.get("Paused")
        if paused:
            await _pause(container)
        try:
            yield paused
        finally:
            if paused:
                await container.unpause()

    async def export(
        self, image: str, volume: str, root: Path, relative: str
    ) -> tuple[FileEntry, bool]:
        """The volume into `root/relative`; its entry, and whether the notebook was paused."""
        hasher = Hasher()
        target = root / relative
        target.parent.mkdir(mode=0o700, exist_ok=True)
        async with (
            self._helper(image, volume, read_only=True) as helper,
            self._paused(volume) as paused,
            self.docker._query(
                f"containers/{helper}/archive", params={"path": f"/{MOUNT}"}, timeout=None
            ) as response,
        ):
            with target.open("wb") as out:
                target.chmod(0o600)
                async for chunk in response.content.iter_chunked(CHUNK):
                    out.write(chunk)
                    hasher.update(chunk)
        return hasher.entry(relative), paused

    async def import_(self, image: str, part: VolumePart, path: Path) -> str:
        """A new volume for the notebook, with the archive's contents; its name."""
        name = self.name(part.notebook)
        labels = {LABEL_INSTANCE: self.instance}
        if part.notebook.isdigit():
            labels[LEGACY_LABEL_ID] = part.notebook
        else:
            labels |= {LABEL_KEY: part.notebook, LABEL_OWNER: str(part.owner_id)}
        await self.docker.volumes.create({"Name": name, "Labels": labels})

        async def chunks() -> AsyncIterator[bytes]:
            with path.open("rb") as f:
                while chunk := f.read(CHUNK):
                    yield chunk

        async with (
            self._helper(image, name, read_only=False) as helper,
            self.docker._query(
                f"containers/{helper}/archive",
                method="PUT",
                params={"path": "/"},
                data=chunks(),
                headers={"Content-Type": "application/x-tar"},
                timeout=None,
            ) as response,
        ):
            await response.read()
        return name

    async def remove_all(self) -> None:
        """Every container and volume of this instance (a forced restore replaces them)."""
        for container in await self._all_containers():
            with contextlib.suppress(aiodocker.DockerError):
                await container.delete(force=True, v=False)
        found = await self.docker.volumes.list(
            filters={"label": [f"{LABEL_INSTANCE}={self.instance}"]}
        )
        for volume in found.get("Volumes") or []:
            await DockerVolume(self.docker, volume["Name"]).delete()


def check_archive(root: Path, entry: FileEntry) -> None:
    """Reads the archive once: its digest against the manifest, and every member inside the
    volume's folder (a restore writes nowhere else)."""
    hasher = Hasher()
    problem: str | None = None
    with (root / entry.path).open("rb") as raw:

        class Reader:
            def read(self, size: int = -1) -> bytes:
                data = raw.read(size)
                hasher.update(data)
                return data

        try:
            with tarfile.open(fileobj=Reader(), mode="r|") as archive:  # type: ignore[call-overload]
                for member in archive:
                    link_out = member.islnk() and not _inside(member.linkname)
                    if not _inside(member.name) or link_out:
                        problem = f"{entry.path}: {member.name!r} is outside the volume"
                        break
        except tarfile.TarError as exc:
            problem = f"{entry.path} is not a readable tar file ({exc}): the backup is damaged"
        while chunk := raw.read(CHUNK):
            hasher.update(chunk)
    check(root, entry, hasher.entry(entry.path))
    if problem:
        raise BackupError(problem)


def _inside(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and parts[0] == MOUNT and ".." not in parts


PAUSE_ATTEMPTS = 5


async def _pause(container: Any) -> None:
    """The cgroup freezer gives up ("unable to freeze") while a process sits in
    uninterruptible sleep, as under heavy disk I/O; a moment later it usually succeeds."""
    for attempt in range(1, PAUSE_ATTEMPTS + 1):
        try:
            await container.pause()
            return
        except aiodocker.DockerError:
            if attempt == PAUSE_ATTEMPTS:
                raise
            await asyncio.sleep(0.5 * attempt)
