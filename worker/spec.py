"""What a notebook looks like in Docker: names, labels and the container's options (pure).

Everything is named after the notebook's random key (`{instance}-nb-{key}`: container,
volume and network alike) and labelled with instance and key (container and volume with
the owner too), so a job that runs twice finds what the first run made, reconcile finds
ours by label alone, and nothing made for one notebook is ever taken for another's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from app.core import notebook_origin
from app.core.config import MIN_CPUS, Settings
from app.models.notebook import Notebook

LABEL_INSTANCE = "workspace.instance"
LABEL_KEY = "workspace.notebook_key"
LABEL_OWNER = "workspace.owner"
LABEL_CONFIG = "workspace.config_hash"
# On a network holder (below) in place of LABEL_KEY: it is no notebook's unit, so the watcher,
# reconcile's unit list and anything else that looks for LABEL_KEY passes it over.
LABEL_HOLDS = "workspace.holds_network_of"
# Before keys, resources were named and labelled after the row's id (reused by SQLite).
LEGACY_LABEL_ID = "workspace.notebook_id"
JUPYTER_PORT_NUMBER = 8888
JUPYTER_PORT = f"{JUPYTER_PORT_NUMBER}/tcp"
WORKDIR = "/home/jovyan/work"
# Linux bridge names are at most 15 characters. A common prefix lets an operator firewall
# every notebook network with one rule (`iptables -I INPUT -i wsnb+ …`, see README).
BRIDGE_PREFIX = "wsnb"
_BRIDGE_KEY_CHARS = 15 - len(BRIDGE_PREFIX)
HOLDER_MEMORY_BYTES = 32 * 1024 * 1024


def resource_name(settings: Settings, key: str) -> str:
    """The container's, the volume's and the network's name: `{instance}-nb-{key}`."""
    return f"{settings.instance}-nb-{key}"


def holder_name(name: str) -> str:
    """The network holder of the notebook whose resources are called `name`."""
    return f"{name}-net"


def legacy_volume_name(settings: Settings, notebook_id: int) -> str:
    """Where a notebook made before keys kept its files: `{instance}-nb-{id}`."""
    return f"{settings.instance}-nb-{notebook_id}"


def bridge_name(key: str) -> str:
    return BRIDGE_PREFIX + key[:_BRIDGE_KEY_CHARS]


def labels(settings: Settings, notebook: Notebook) -> dict[str, str]:
    """Whose a resource is. Anything of ours is checked against these before use."""
    return {
        LABEL_INSTANCE: settings.instance,
        LABEL_KEY: notebook.key,
        LABEL_OWNER: str(notebook.owner_id),
    }


def belongs(found: Mapping[str, Any] | None, expected: Mapping[str, str]) -> bool:
    """Whether a resource's labels name the same instance, notebook and owner."""
    found = found or {}
    return all(found.get(name) == value for name, value in expected.items())


def nano_cpus(cpus: float) -> int:
    """Docker's CPU quota; never 0, which Docker takes as no limit at all."""
    return int(max(cpus, MIN_CPUS) * 1e9)


def network_spec(settings: Settings, key: str) -> dict[str, Any]:
    """A bridge of the notebook's own: Docker drops traffic between two bridges, so it
    reaches no other notebook. Without egress it is `internal` (no route out, no
    published port: the api reaches the container at its address on this network).

    Labelled with instance and key but no owner: it may be made before its notebook
    exists (worker/spares.py), and it holds nothing of anyone's; the key, random and never
    given twice, is what makes it this notebook's alone."""
    return {
        "Name": resource_name(settings, key),
        "Driver": "bridge",
        "CheckDuplicate": True,
        "Internal": not settings.notebook_egress,
        "Labels": {LABEL_INSTANCE: settings.instance, LABEL_KEY: key},
        "Options": {"com.docker.network.bridge.name": bridge_name(key)},
    }


def holder_spec(settings: Settings, key: str, image: str) -> dict[str, Any]:
    """A network holder: a container that only sleeps on the notebook's network, made
    ahead with a spare network (worker/spares.py), whose network namespace the notebook's
    container then joins (`NetworkMode: container:…`, as a Kubernetes pod's containers
    join its pause container).

    Docker's costly part of a start on a network of its own is setting up the namespace:
    the interface, and the embedded DNS resolver with its iptables rules. Joining one that
    is set up costs none of it. The holder has the notebook's port bindings (a joined
    container can have none of its own) and nothing else: no capabilities, no volume, no
    writable root, a few processes."""
    host: dict[str, Any] = {
        "NetworkMode": resource_name(settings, key),
        "Memory": HOLDER_MEMORY_BYTES,
        "MemorySwap": HOLDER_MEMORY_BYTES,
        "NanoCpus": nano_cpus(MIN_CPUS),
        "PidsLimit": 8,
        "Privileged": False,
        "ReadonlyRootfs": True,
        "CapDrop": ["ALL"],
        "SecurityOpt": ["no-new-privileges:true"],
        "RestartPolicy": {"Name": "no"},
        # No init: `sleep` itself is PID 1, so an image without it fails the start at
        # once (under an init it would start and exit). Holders are killed, not stopped.
        **_published(settings),
    }
    return {
        "Image": image,
        "Entrypoint": ["sleep", "infinity"],
        "Cmd": [],
        # `sleep` as PID 1 ignores SIGTERM: a stop (also Docker's own, when it shuts down)
        # would wait out its grace period for a process with nothing to save.
        "StopSignal": "SIGKILL",
        "User": "65534:65534",
        "ExposedPorts": {JUPYTER_PORT: {}},
        "Healthcheck": {"Test": ["NONE"]},  # the image's own checks a server it does not run
        "Labels": {LABEL_INSTANCE: settings.instance, LABEL_HOLDS: key},
        "HostConfig": host,
    }


def _published(settings: Settings) -> dict[str, Any]:
    """Where Jupyter's port is published: with egress, on the host's loopback only (the
    api's proxy is the one way in); without, nowhere (the api reaches the container at
    its address on the notebook's network)."""
    if not settings.notebook_egress:
        return {}
    return {"PortBindings": {JUPYTER_PORT: [{"HostIp": "127.0.0.1", "HostPort": ""}]}}


def container_spec(
    notebook: Notebook, settings: Settings, *, holder: str | None = None
) -> dict[str, Any]:
    """Create-container options: the user's configuration inside our security baseline.

    On the notebook's network itself, or, given a running network holder's id, in that
    holder's network namespace. The config hash is the same either way: where the
    namespace came from is no part of the configuration."""
    name = resource_name(settings, notebook.key)
    env = {
        **notebook.env,
        "JUPYTER_TOKEN": notebook.jupyter_token,
        "JUPYTER_BASE_URL": notebook_origin.base_path(settings, notebook.key),
    }
    memory = notebook.memory_mb * 1024 * 1024
    host: dict[str, Any] = {
        "NetworkMode": name,
        "Mounts": [{"Type": "volume", "Source": name, "Target": WORKDIR}],
        "Memory": memory,
        "MemorySwap": memory,
        "NanoCpus": nano_cpus(notebook.cpus),
        "PidsLimit": settings.notebook_pids_limit,
        "Privileged": False,
        # Without NET_RAW and NET_ADMIN a notebook cannot send packets to the host's
        # 127.0.0.1 (where WorkSpace's services and the published ports listen).
        "CapDrop": ["ALL"],
        "SecurityOpt": ["no-new-privileges:true"],
        "RestartPolicy": {"Name": "no"},
        "Init": True,  # reaps the zombies that kernels and terminals leave
        **_published(settings),
    }
    spec: dict[str, Any] = {
        "Image": notebook.image,
        "Env": [f"{k}={v}" for k, v in env.items()],
        "User": "1000:1000",
        "ExposedPorts": {JUPYTER_PORT: {}},
        "Labels": labels(settings, notebook),
        "HostConfig": host,
    }
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    spec["Labels"][LABEL_CONFIG] = digest
    if holder is not None:
        host.pop("PortBindings", None)
        del spec["ExposedPorts"]
        host["NetworkMode"] = f"container:{holder}"
    return spec


def copy_spec(notebook: Notebook, settings: Settings, source: str) -> dict[str, Any]:
    """A one-off container that copies volume `source` into the notebook's own volume.

    The notebook's image mounted as the notebook is (so the new volume gets the image's
    ownership of the home directory), as the notebook's user, with nothing else.
    """
    return {
        "Image": notebook.image,
        "Entrypoint": ["cp", "-a", "/legacy/.", f"{WORKDIR}/"],
        "Cmd": [],
        "User": "1000:1000",
        "Labels": {LABEL_INSTANCE: settings.instance, LABEL_OWNER: str(notebook.owner_id)},
        "HostConfig": {
            "NetworkMode": "none",
            "Mounts": [
                {"Type": "volume", "Source": source, "Target": "/legacy", "ReadOnly": True},
                {
                    "Type": "volume",
                    "Source": resource_name(settings, notebook.key),
                    "Target": WORKDIR,
                },
            ],
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges:true"],
            "Memory": 256 * 1024 * 1024,
            "PidsLimit": 64,
        },
    }
