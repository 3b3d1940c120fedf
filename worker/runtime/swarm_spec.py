"""What a notebook is in Swarm: one service spec and one overlay network (pure logic).

The service runs one replica (0 when stopped) of the notebook's image with the same baseline
as a container on a single engine: a non-root user, every capability dropped, an init
process, memory, CPU and pids limits, a named volume only, no restart by Swarm (a crash is
reported, not hidden). It publishes no port: endpoint mode dnsrr (no virtual IP, no routing
mesh), reached by name on its own overlay, which the api and the worker join.

This engine's Swarm API has no per-service `no-new-privileges` and no swap limit: notebook
nodes run dockerd with `--no-new-privileges`, and without swap (README, "Docker Swarm").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from app.models.notebook import Notebook
from worker.docker import JUPYTER_PORT, LABEL_CONFIG, LABEL_ID, LABEL_INSTANCE, LABEL_OWNER, WORKDIR

LABEL_RUN = "workspace.run"  # the unit id: set anew at each start (see worker/runtime/base.py)
LABEL_REACH = "workspace.reach"  # on the api's and worker's containers: join notebook networks
PORT = int(JUPYTER_PORT.split("/")[0])
STOP_GRACE_SECONDS = 10


@dataclass(frozen=True)
class SwarmOptions:
    instance: str
    pids_limit: int = 512
    # Where notebooks may run; pinned to their volume's node after their first start.
    placement: tuple[str, ...] = ("node.labels.workspace.notebooks == true",)
    # Memory is reserved in full (an overcommitted node kills someone); CPU only in part,
    # since notebooks are idle most of the time.
    cpu_reservation: float = 0.25
    # A cluster-wide volume driver makes a notebook's files reachable from every node:
    # then it is not pinned. None: the engine's `local` volumes.
    volume_driver: str | None = None
    egress: bool = True  # False: an internal overlay, no route out
    labels: dict[str, str] = field(default_factory=dict)  # added to every service


def labels(notebook: Notebook, options: SwarmOptions) -> dict[str, str]:
    assert notebook.id is not None
    return {
        LABEL_INSTANCE: options.instance,
        LABEL_ID: str(notebook.id),
        LABEL_OWNER: str(notebook.owner_id),
    }


def notebook_env(notebook: Notebook) -> dict[str, str]:
    return {
        **notebook.env,
        "JUPYTER_TOKEN": notebook.jupyter_token,
        "JUPYTER_BASE_URL": notebook.base_url,
    }


def task_template(notebook: Notebook, options: SwarmOptions, name: str) -> dict[str, Any]:
    """Everything a start applies; its digest is the config hash. No run token, no pin."""
    mount: dict[str, Any] = {
        "Type": "volume",
        "Source": name,
        "Target": WORKDIR,
        "VolumeOptions": {"Labels": labels(notebook, options)},
    }
    if options.volume_driver:
        mount["VolumeOptions"]["DriverConfig"] = {"Name": options.volume_driver}
    memory = notebook.memory_mb * 1024 * 1024
    nano_cpus = int(notebook.cpus * 1e9)
    return {
        "ContainerSpec": {
            "Image": notebook.image,
            "Env": [f"{k}={v}" for k, v in notebook_env(notebook).items()],
            "User": "1000:1000",
            "Labels": labels(notebook, options),
            "Mounts": [mount],
            "CapabilityDrop": ["ALL"],
            "Init": True,  # reaps the zombies that kernels and terminals leave
            "StopGracePeriod": STOP_GRACE_SECONDS * 1_000_000_000,
        },
        "Resources": {
            "Limits": {"NanoCPUs": nano_cpus, "MemoryBytes": memory, "Pids": options.pids_limit},
            "Reservations": {
                "NanoCPUs": int(nano_cpus * options.cpu_reservation),
                "MemoryBytes": memory,
            },
        },
        "RestartPolicy": {"Condition": "none"},
        "Placement": {"Constraints": list(options.placement)},
        "Networks": [{"Target": name, "Aliases": [name]}],
    }


def config_hash(template: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:16]


def service_spec(
    notebook: Notebook,
    options: SwarmOptions,
    name: str,
    *,
    run: str,
    pin: str | None = None,
    replicas: int = 0,
) -> dict[str, Any]:
    """The full service spec: `run` names this start, `pin` is the node it must run on."""
    template = task_template(notebook, options, name)
    digest = config_hash(template)
    template["ContainerSpec"]["Labels"][LABEL_RUN] = run
    if pin is not None:
        template["Placement"]["Constraints"] = [f"node.id == {pin}"]
    return {
        "Name": name,
        "Labels": {**options.labels, **labels(notebook, options), LABEL_CONFIG: digest},
        "TaskTemplate": template,
        "Mode": {"Replicated": {"Replicas": replicas}},
        "EndpointSpec": {"Mode": "dnsrr"},
    }


def pinned_node(spec: dict[str, Any]) -> str | None:
    """The node a service's spec pins it to, if any."""
    constraints = ((spec.get("TaskTemplate") or {}).get("Placement") or {}).get("Constraints")
    for constraint in constraints or []:
        key, _, value = str(constraint).partition("==")
        if key.strip() == "node.id" and value.strip():
            return value.strip()
    return None


def network_spec(notebook: Notebook, options: SwarmOptions, name: str) -> dict[str, Any]:
    return {
        "Name": name,
        "Driver": "overlay",
        "Attachable": True,  # so the api's and the worker's containers can join it
        "Internal": not options.egress,
        "CheckDuplicate": True,
        "Labels": labels(notebook, options),
    }
