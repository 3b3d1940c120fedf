"""What a notebook is in Swarm: one service spec and one overlay network (pure logic).

The service runs one replica (0 when stopped) of the notebook's image with the same baseline
as a container on a single engine: a non-root user, every capability dropped, an init
process, memory, CPU and pids limits, a named volume only, no restart by Swarm (a crash is
reported, not hidden). It publishes no port: endpoint mode dnsrr (no virtual IP, no routing
mesh), reached on its own overlay, which the api and the worker join.

This engine's Swarm API has no per-service `no-new-privileges` and no swap limit: notebook
nodes run dockerd with `--no-new-privileges`, and without swap (README, "Docker Swarm").
Names and labels are those of a container on a single engine (`worker/spec.py`).

The overlay's addresses: the api's and the worker's containers belong to services, and
Docker gives a service's container that joins another network an address from its own
node's view of it, which knows nothing of tasks on other nodes. So WorkSpace gives each
notebook network a /24 of its own choosing, lets Swarm hand out only the lower half (tasks,
attachments, load balancers), and joins those containers at addresses of the upper half.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, ip_network
from typing import Any

from app.core import notebook_origin
from app.core.config import Settings
from app.models.notebook import Notebook
from worker.spec import JUPYTER_PORT_NUMBER, LABEL_CONFIG, WORKDIR, nano_cpus

LABEL_RUN = "workspace.run"  # the unit id: set anew at each start (see worker/runtime/base.py)
LABEL_REACH = "workspace.reach"  # on the api's and worker's containers: join notebook networks
PORT = JUPYTER_PORT_NUMBER
STOP_GRACE_SECONDS = 10


@dataclass(frozen=True)
class SwarmOptions:
    instance: str
    pids_limit: int
    # Where notebooks may run; pinned to their volume's node after their first start.
    placement: tuple[str, ...]
    # Memory is reserved in full (an overcommitted node kills someone); CPU only in part,
    # since notebooks are idle most of the time.
    cpu_reservation: float
    # A cluster-wide volume driver makes a notebook's files reachable from every node:
    # then it is not pinned. None: the engine's `local` volumes.
    volume_driver: str | None
    egress: bool  # False: an internal overlay, no route out
    subnets: IPv4Network  # where each notebook's overlay takes its /24
    notebook_hosts: str  # gives Jupyter its base URL (app/core/notebook_origin.py)

    @classmethod
    def of(cls, settings: Settings) -> SwarmOptions:
        return cls(
            instance=settings.instance,
            pids_limit=settings.notebook_pids_limit,
            placement=tuple(settings.swarm_placement),
            cpu_reservation=settings.swarm_cpu_reservation,
            volume_driver=settings.swarm_volume_driver,
            egress=settings.notebook_egress,
            subnets=settings.swarm_subnets,
            notebook_hosts=settings.notebook_hosts,
        )


def notebook_env(notebook: Notebook, options: SwarmOptions) -> dict[str, str]:
    return {
        **notebook.env,
        "JUPYTER_TOKEN": notebook.jupyter_token,
        "JUPYTER_BASE_URL": notebook_origin.base_path_for(options.notebook_hosts, notebook.key),
    }


def task_template(
    notebook: Notebook, options: SwarmOptions, name: str, owned: Mapping[str, str]
) -> dict[str, Any]:
    """Everything a start applies; its digest is the config hash. No run token, no pin."""
    mount: dict[str, Any] = {
        "Type": "volume",
        "Source": name,
        "Target": WORKDIR,
        "VolumeOptions": {"Labels": dict(owned)},
    }
    if options.volume_driver:
        mount["VolumeOptions"]["DriverConfig"] = {"Name": options.volume_driver}
    memory = notebook.memory_mb * 1024 * 1024
    cpus = nano_cpus(notebook.cpus)
    return {
        "ContainerSpec": {
            "Image": notebook.image,
            "Env": [f"{k}={v}" for k, v in notebook_env(notebook, options).items()],
            "User": "1000:1000",
            "Labels": dict(owned),
            "Mounts": [mount],
            "CapabilityDrop": ["ALL"],
            "Init": True,  # reaps the zombies that kernels and terminals leave
            "StopGracePeriod": STOP_GRACE_SECONDS * 1_000_000_000,
        },
        "Resources": {
            "Limits": {"NanoCPUs": cpus, "MemoryBytes": memory, "Pids": options.pids_limit},
            "Reservations": {
                "NanoCPUs": int(cpus * options.cpu_reservation),
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
    owned: Mapping[str, str],
    *,
    run: str,
    pin: str | None = None,
) -> dict[str, Any]:
    """The full service spec at 0 replicas: `run` names this start, `pin` is the node it
    must run on."""
    template = task_template(notebook, options, name, owned)
    digest = config_hash(template)
    template["ContainerSpec"]["Labels"][LABEL_RUN] = run
    if pin is not None:
        template["Placement"]["Constraints"] = [f"node.id == {pin}"]
    return {
        "Name": name,
        "Labels": {**owned, LABEL_CONFIG: digest},
        "TaskTemplate": template,
        "Mode": {"Replicated": {"Replicas": 0}},
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


def network_spec(options: SwarmOptions, name: str, owned: Mapping[str, str]) -> dict[str, Any]:
    """Without its subnet, which is chosen when it is made (`with_subnet`)."""
    return {
        "Name": name,
        "Driver": "overlay",
        "Attachable": True,  # so the api's and the worker's containers can join it
        "Internal": not options.egress,
        "CheckDuplicate": True,
        "Labels": dict(owned),
    }


def with_subnet(spec: dict[str, Any], subnet: IPv4Network) -> dict[str, Any]:
    swarm_half, _ = subnet.subnets(prefixlen_diff=1)
    ipam = {"Driver": "default", "Config": [{"Subnet": str(subnet), "IPRange": str(swarm_half)}]}
    return {**spec, "IPAM": ipam}


def subnet_of(network: Mapping[str, Any]) -> IPv4Network | None:
    """The IPv4 subnet a network was given (None: one Swarm chose, from before)."""
    for config in (network.get("IPAM") or {}).get("Config") or []:
        try:
            subnet = ip_network(str(config.get("Subnet")), strict=False)
        except ValueError:  # none given
            continue
        if isinstance(subnet, IPv4Network):
            return subnet
    return None


def reach_addresses(subnet: IPv4Network) -> list[IPv4Address]:
    """The upper half of `subnet` (no broadcast): for the api's and the worker's containers."""
    _, ours = subnet.subnets(prefixlen_diff=1)
    return list(ours.hosts())
