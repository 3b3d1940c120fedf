"""compose.yaml deploys as a Swarm stack: `docker stack deploy` accepts it on the test swarm
and makes the services the README describes. (Their images are not on the test swarm: no
registry here; the notebooks' side runs in tests/runtime/test_swarm_*.)"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from tests.support.environment import ROOT
from tests.support.swarm_engine import MANAGER, SwarmEngine

STACK = "wsstack"
SWARM_ENV = {
    "WORKSPACE_SECRET_KEY": "k",
    "WORKSPACE_ADMIN_PASSWORD": "p",
    "WORKSPACE_RUNTIME": "swarm",
    "WORKSPACE_POSTGRES_HOST": "postgres",
    "WORKSPACE_REDIS_HOST": "redis",
    "WORKSPACE_LISTEN": "0.0.0.0",
}


def spec(service: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(MANAGER.docker("service", "inspect", f"{STACK}_{service}"))[
        0
    ]["Spec"]
    return found


def test_compose_yaml_deploys_as_a_stack(swarm: SwarmEngine) -> None:
    deploy = subprocess.run(
        ["docker", "-H", MANAGER.url, "stack", "deploy", "-c", str(ROOT / "compose.yaml"), STACK],
        env=os.environ | SWARM_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        assert deploy.returncode == 0, deploy.stderr
        services = set(MANAGER.docker("stack", "services", "--format", "{{.Name}}", STACK).split())
        assert services == {
            f"{STACK}_{name}" for name in ("api", "worker", "postgres", "redis", "jupyter-image")
        }
        mounts = {
            name: [
                m["Source"] for m in spec(name)["TaskTemplate"]["ContainerSpec"].get("Mounts", [])
            ]
            for name in ("api", "worker", "postgres", "redis")
        }
        assert [name for name, sources in mounts.items() if "/var/run/docker.sock" in sources] == [
            "worker"
        ]
        for name in ("api", "worker"):
            service = spec(name)
            control = ["node.role == manager", "node.labels.workspace.control == true"]
            assert service["TaskTemplate"]["Placement"]["Constraints"] == control
            assert service["TaskTemplate"]["ContainerSpec"]["Labels"]["workspace.reach"] == (
                "workspace"
            )
            env = service["TaskTemplate"]["ContainerSpec"]["Env"]
            assert "WORKSPACE_RUNTIME=swarm" in env
            assert any(e.startswith("DATABASE_URL=") and "@postgres:5432/" in e for e in env)
        for name in ("postgres", "redis"):
            constraints = spec(name)["TaskTemplate"]["Placement"]["Constraints"]
            assert constraints == ["node.labels.workspace.data == true"]
        for name in ("api", "worker", "postgres", "redis"):
            assert spec(name)["EndpointSpec"]["Mode"] == "dnsrr"  # no IPVS needed
        (port,) = spec("api")["EndpointSpec"]["Ports"]
        assert (port["TargetPort"], port["PublishMode"]) == (8000, "host")
        args = spec("api")["TaskTemplate"]["ContainerSpec"]["Args"]
        assert "--host 0.0.0.0" in args[-1]
    finally:
        MANAGER.docker("stack", "rm", STACK, check=False)
