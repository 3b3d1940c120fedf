"""WorkSpace as a running Swarm stack: `docker stack deploy -c compose.yaml` on the test swarm,
with WorkSpace's own image (`scripts/build-images.sh app`), PostgreSQL and Redis (stand-ins
for their official images, tests/support/images/services) and JupyterLab; then used as a
person would, with the `workspace` command against the api's published port. One stack for
the module: the tests run in order, on one node and then with a second one."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiodocker
import httpx
import pytest

from tests.runtime.swarm_helpers import running_task_node
from tests.support.cli import Cli
from tests.support.environment import INSTANCE, JUPYTER_IMAGE, ROOT
from tests.support.processes import free_port
from tests.support.swarm_engine import MANAGER, NODE_LABEL, WORKER, SwarmEngine, load_images
from worker.spec import LABEL_INSTANCE, LABEL_KEY
from worker.watcher import RECONCILE_EVERY_SECONDS

STACK = "wsrun"
APP_IMAGE = "workspace/app:latest"
SERVICES_IMAGE = "workspace-test/services:latest"
OFFICIAL_NAMES = ("postgres:16", "redis:7")  # compose.yaml's images, stood in for
CONTROL_LABELS = {"workspace.control": "true", "workspace.data": "true"}
ADMIN = "admin"


@dataclass(frozen=True)
class Deployed:
    url: str
    password: str


def build(*args: str) -> None:
    done = subprocess.run(
        args, env=os.environ | {"DOCKER_BUILDKIT": "0"}, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def stack_images(swarm: SwarmEngine) -> None:
    """The stack's images on the test swarm, built from this tree (cached layers: seconds when
    nothing changed)."""
    build(str(ROOT / "scripts" / "build-images.sh"), "app")
    services = ROOT / "tests" / "support" / "images" / "services"
    build("docker", "build", "-q", "--network", "host", "-t", SERVICES_IMAGE, str(services))
    load_images(MANAGER, (APP_IMAGE, SERVICES_IMAGE, JUPYTER_IMAGE))
    for name in OFFICIAL_NAMES:
        MANAGER.docker("tag", SERVICES_IMAGE, name)


def deploy_env(port: int, password: str) -> dict[str, str]:
    """Only what a person sets in .env and swarm.env (README): nothing of this test run's own
    environment reaches compose.yaml's interpolation."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "WORKSPACE_SECRET_KEY": secrets.token_hex(32),
        "WORKSPACE_ADMIN_USERNAME": ADMIN,
        "WORKSPACE_ADMIN_PASSWORD": password,
        "WORKSPACE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "WORKSPACE_PORT": str(port),
        "WORKSPACE_INSTANCE": INSTANCE,  # so the per-test clean-up finds its notebooks
        "WORKSPACE_DOCKER_SOCKET": str(MANAGER.socket),
        "WORKSPACE_RUNTIME": "swarm",
        "WORKSPACE_POSTGRES_HOST": "postgres",
        "WORKSPACE_REDIS_HOST": "redis",
        "WORKSPACE_LISTEN": "0.0.0.0",
    }


def what_went_on() -> str:
    """The stack's tasks and the api's and worker's logs, for a failure's message."""
    tasks = MANAGER.docker("stack", "ps", "--no-trunc", STACK, check=False)
    logs = []
    for name in ("api", "worker"):
        done = subprocess.run(
            ["docker", "-H", MANAGER.url, "service", "logs", "--raw", f"{STACK}_{name}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # where the tasks' stderr comes out
            text=True,
            check=False,
        )
        kept = [line for line in done.stdout.splitlines() if not line.startswith("INFO:")]
        logs.append(f"--- {name} (without access lines)\n" + "\n".join(kept[-40:]))
    return "\n".join([tasks, *logs])


def deploy(env: dict[str, str]) -> None:
    done = subprocess.run(
        ["docker", "-H", MANAGER.url, "stack", "deploy", "-c", str(ROOT / "compose.yaml"), STACK],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def remove_stack() -> None:
    MANAGER.docker("stack", "rm", STACK, check=False)
    selector = f"label=com.docker.stack.namespace={STACK}"
    for _ in range(300):
        if not MANAGER.docker("ps", "-aq", "--filter", selector, check=False).split():
            break
        time.sleep(0.2)
    volumes = MANAGER.docker("volume", "ls", "-q", "--filter", selector, check=False).split()
    if volumes:
        MANAGER.docker("volume", "rm", "-f", *volumes, check=False)


@pytest.fixture(scope="module")
async def deployed(swarm: SwarmEngine, stack_images: None) -> AsyncIterator[Deployed]:
    port, password = free_port(), secrets.token_urlsafe(12)
    manager = swarm.node_ids["manager"]
    swarm.label_node(manager, CONTROL_LABELS)
    try:
        await asyncio.to_thread(deploy, deploy_env(port, password))
        yield Deployed(f"http://127.0.0.1:{port}", password)
    finally:
        await asyncio.to_thread(remove_stack)
        for key in CONTROL_LABELS:
            MANAGER.docker("node", "update", "--label-rm", key, manager, check=False)


async def wait_serving(url: str) -> None:
    """Until the api is ready on the published port: migrations done, PostgreSQL and Redis
    answering."""
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(900):
            try:
                if (await client.get(f"{url}/api/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("the api never answered\n" + what_went_on())


async def restart(*services: str) -> None:
    """New tasks, so new containers, for `services` at once; as after a node's reboot."""
    await asyncio.gather(
        *(
            asyncio.to_thread(
                MANAGER.docker, "service", "update", "--force", "--quiet", f"{STACK}_{name}"
            )
            for name in services
        )
    )


async def notebook_keys(docker: aiodocker.Docker) -> list[str]:
    """The keys of the notebook services on the swarm."""
    labelled = {"label": [f"{LABEL_INSTANCE}={INSTANCE}", LABEL_KEY]}
    return [s["Spec"]["Labels"][LABEL_KEY] for s in await docker.services.list(filters=labelled)]


async def signed_in(deployed: Deployed, home: Path) -> Cli:
    await wait_serving(deployed.url)
    cli = Cli(home=home, url=deployed.url)
    await cli.ok("login", "--username", ADMIN, "--password-stdin", input=deployed.password + "\n")
    return cli


async def create(cli: Cli, name: str) -> dict[str, Any]:
    """`workspace nb create NAME` of JupyterLab, waited for: the notebook as listed."""
    created = await cli.run("nb", "create", name, "--image", JUPYTER_IMAGE, "--memory", "512m")
    assert created.code == 0, f"{created}\n{what_went_on()}"
    notebook = await the_notebook(cli, name)
    assert notebook["status"] == "healthy", what_went_on()
    return notebook


async def test_the_stack_runs_a_notebook_and_keeps_it_across_restarts(
    deployed: Deployed, swarm_docker: aiodocker.Docker, tmp_path: Path
) -> None:
    cli = await signed_in(deployed, tmp_path / "config")
    listed = await create(cli, "lab")
    # A Swarm service of one replica, made by the worker through the manager's engine.
    assert await notebook_keys(swarm_docker) == [listed["key"]]
    # Code runs in its kernel through the api's proxy, over the notebook's overlay network.
    await runs_code(cli, "lab")

    # New containers for the data services and the worker: PostgreSQL's volume kept the
    # account and the notebook, Redis's the queue; the worker finds the notebook running.
    await restart("postgres", "redis", "worker")
    await wait_serving(deployed.url)
    assert (await the_notebook(cli, "lab"))["status"] == "healthy", what_went_on()
    await runs_code(cli, "lab")

    # A new api container is joined to the notebook's network as it starts (the worker sees
    # it start), well before the next reconcile would.
    await restart("api")
    await wait_serving(deployed.url)
    await runs_code(cli, "lab", within=RECONCILE_EVERY_SECONDS / 3)


async def test_a_notebook_on_another_node_is_reached_from_the_control_node(
    deployed: Deployed,
    swarm: SwarmEngine,
    swarm_worker: str,
    swarm_docker: aiodocker.Docker,
    tmp_path: Path,
) -> None:
    """Notebooks on node2 only: the api and the worker, on the manager, join an overlay that
    no task on their node uses (so through the anchor container), and reach node2 over it."""
    load_images(WORKER, (JUPYTER_IMAGE,))
    manager = swarm.node_ids["manager"]
    swarm.label_node(swarm_worker, {NODE_LABEL: "true"})
    MANAGER.docker("node", "update", "--label-rm", NODE_LABEL, manager)
    try:
        cli = await signed_in(deployed, tmp_path / "config")
        listed = await create(cli, "far")
        (service,) = await swarm_docker.services.list(
            filters={"label": [f"{LABEL_KEY}={listed['key']}"]}
        )
        assert await running_task_node(swarm_docker, service["Spec"]["Name"]) == swarm_worker
        await runs_code(cli, "far")

        # Deleted, then a new worker: its reconcile passes whatever the manager's engine kept
        # of that network, and the next notebook starts.
        await cli.ok("nb", "rm", "far", "--purge", "--wait")
        await restart("worker")
        swarm.label_node(manager, {NODE_LABEL: "true"})
        await create(cli, "near")
        await runs_code(cli, "near")
    finally:
        swarm.label_node(manager, {NODE_LABEL: "true"})
        MANAGER.docker("node", "update", "--label-rm", NODE_LABEL, swarm_worker, check=False)


async def the_notebook(cli: Cli, name: str) -> dict[str, Any]:
    (notebook,) = [
        n for n in json.loads(await cli.ok("nb", "ls", "--json"))["data"] if n["name"] == name
    ]
    return dict(notebook)


async def runs_code(cli: Cli, name: str, within: float = 0.0) -> None:
    """`print(6 * 7)` in the notebook's kernel answers 42, at once or within `within` s."""
    deadline = time.monotonic() + within
    while True:
        ran = await cli.run("nb", "run", name, "print(6 * 7)")
        if ran.code == 0 or time.monotonic() > deadline:
            break
        await asyncio.sleep(1)
    assert (ran.code, ran.stdout.strip()) == (0, "42"), f"{ran}\n{what_went_on()}"
