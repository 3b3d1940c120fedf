"""The one place that owns notebook containers in Docker (through aiodocker).

Names and labels are deterministic (`workspace-nb-{id}`, `workspace.notebook_id`), so a job
that runs twice finds what the first run made, and reconcile finds ours by label alone.
Docker's 404 and 409 are outcomes here (already gone, already there), not failures.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import aiodocker
from aiodocker.containers import DockerContainer
from aiodocker.volumes import DockerVolume

from app.core.config import Settings
from app.models.notebook import Notebook

LABEL_INSTANCE = "workspace.instance"
LABEL_ID = "workspace.notebook_id"
LABEL_OWNER = "workspace.owner"
LABEL_CONFIG = "workspace.config_hash"
JUPYTER_PORT = "8888/tcp"
WORKDIR = "/home/jovyan/work"


def resource_name(settings: Settings, notebook_id: int) -> str:
    """The container's and the volume's name: `{instance}-nb-{id}`."""
    return f"{settings.instance}-nb-{notebook_id}"


def container_spec(notebook: Notebook, settings: Settings) -> dict[str, Any]:
    """Create-container options: the user's configuration inside our security baseline."""
    assert notebook.id is not None
    env = {
        **notebook.env,
        "JUPYTER_TOKEN": notebook.jupyter_token,
        "JUPYTER_BASE_URL": notebook.base_url,
    }
    memory = notebook.memory_mb * 1024 * 1024
    spec: dict[str, Any] = {
        "Image": notebook.image,
        "Env": [f"{name}={value}" for name, value in env.items()],
        "User": "1000:1000",
        "ExposedPorts": {JUPYTER_PORT: {}},
        "Labels": {
            LABEL_INSTANCE: settings.instance,
            LABEL_ID: str(notebook.id),
            LABEL_OWNER: str(notebook.owner_id),
        },
        "HostConfig": {
            # Loopback only: the api's proxy is the one way in.
            "PortBindings": {JUPYTER_PORT: [{"HostIp": "127.0.0.1", "HostPort": ""}]},
            "Mounts": [
                {
                    "Type": "volume",
                    "Source": resource_name(settings, notebook.id),
                    "Target": WORKDIR,
                }
            ],
            "Memory": memory,
            "MemorySwap": memory,
            "NanoCpus": int(notebook.cpus * 1e9),
            "PidsLimit": settings.notebook_pids_limit,
            "Privileged": False,
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges:true"],
            "RestartPolicy": {"Name": "no"},
            # Docker keeps a container's output on the host's disk: rotated and capped here,
            # so a notebook printing without end cannot fill it.
            "LogConfig": {"Type": "local", "Config": {"max-size": "10m", "max-file": "3"}},
            "Init": True,  # reaps the zombies that kernels and terminals leave
        },
    }
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    spec["Labels"][LABEL_CONFIG] = digest
    return spec


# The fields of Docker's container list that reconcile and the watcher read.
LISTED = ("Id", "Labels", "State")


class NotebookDocker:
    def __init__(self, docker: aiodocker.Docker, instance: str) -> None:
        self.docker = docker
        self.instance = instance

    async def find(self, name: str) -> dict[str, Any] | None:
        """Inspect data of the container called `name`, or None."""
        try:
            info: dict[str, Any] = await self.docker.containers.container(name).show()
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                return None
            raise
        return info

    async def list_ours(self) -> list[dict[str, Any]]:
        """Our containers, as Docker lists them: `Id`, `Labels` and `State` of each."""
        containers = await self.docker.containers.list(
            all=True, filters=json.dumps({"label": self.label_filter})
        )
        return [{key: c[key] for key in LISTED} for c in containers]

    @property
    def label_filter(self) -> list[str]:
        return [f"{LABEL_INSTANCE}={self.instance}", LABEL_ID]

    async def ensure_volume(self, name: str, notebook_id: int) -> None:
        # Creating an existing volume is a no-op in Docker, so this is idempotent.
        labels = {LABEL_INSTANCE: self.instance, LABEL_ID: str(notebook_id)}
        await self.docker.volumes.create({"Name": name, "Labels": labels})

    async def remove_volume(self, name: str) -> None:
        try:
            await DockerVolume(self.docker, name).delete()
        except aiodocker.DockerError as exc:
            if exc.status != 404:
                raise

    async def create(self, name: str, spec: dict[str, Any]) -> DockerContainer:
        """Create the container, or return the one a previous run of the job made."""
        try:
            return await self.docker.containers.create(spec, name=name)
        except aiodocker.DockerError as exc:
            if exc.status != 409:
                raise
        return await self.docker.containers.get(name)

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

    @staticmethod
    def host_port(info: dict[str, Any]) -> int | None:
        bindings = (info.get("NetworkSettings") or {}).get("Ports") or {}
        for binding in bindings.get(JUPYTER_PORT) or []:
            if binding.get("HostPort"):
                return int(binding["HostPort"])
        return None

    @staticmethod
    def is_running(info: dict[str, Any]) -> bool:
        return bool((info.get("State") or {}).get("Running"))

    @staticmethod
    def config_hash(info: dict[str, Any]) -> str | None:
        labels = (info.get("Config") or {}).get("Labels") or {}
        value = labels.get(LABEL_CONFIG)
        return str(value) if value else None
