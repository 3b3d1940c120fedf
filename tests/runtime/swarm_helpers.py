"""Helpers for the Swarm runtime's tests: notebooks without a database, a container that
reaches notebooks as the api and worker do, and waiting on the runtime's events."""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
from typing import Any

import aiodocker

from app.core import notebook_origin
from app.core.config import Settings
from app.models.notebook import Notebook
from tests.support.environment import INSTANCE, TEST_IMAGE
from worker.runtime.base import Endpoint, EventStream, RuntimeEvent
from worker.runtime.swarm import SwarmRuntime
from worker.runtime.swarm_spec import LABEL_REACH

_ids = itertools.count(100)


def make_notebook(**overrides: Any) -> Notebook:
    values: dict[str, Any] = {
        "id": next(_ids),
        "key": notebook_origin.new_key(),
        "owner_id": 7,
        "name": "lab",
        "image": TEST_IMAGE,
        "cpus": 0.5,
        "memory_mb": 256,
        "env": {},
        "idle_timeout_minutes": 0,
        "jupyter_token": secrets.token_hex(16),
    }
    return Notebook(**(values | overrides))


def make_runtime(url: str, **settings: Any) -> SwarmRuntime:
    """The runtime on the test swarm, polling task states every 0.5 s (2 s by default)."""
    values: dict[str, Any] = {
        "environment": "test",
        "secret_key": "test-secret-key",
        "instance": INSTANCE,
        "runtime": "swarm",
        "docker_url": url,
    }
    return SwarmRuntime(
        aiodocker.Docker(url=url), Settings(**(values | settings)), poll_seconds=0.5
    )


async def start_reacher(docker: aiodocker.Docker, name: str = "reacher") -> str:
    """A container labelled like the api's and worker's: the runtime joins it to notebook
    networks. It only sleeps; probes run in it with `docker exec`."""
    container = await docker.containers.run(
        {
            "Image": TEST_IMAGE,
            "Entrypoint": ["python3", "-c", "import time; time.sleep(10**6)"],
            "Labels": {LABEL_REACH: INSTANCE, "workspace.instance": INSTANCE},
            "Healthcheck": {"Test": ["NONE"]},
        },
        name=f"{INSTANCE}-{name}",
    )
    return str(container.id)


PROBE = """
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": "token " + sys.argv[2]})
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    print(opener.open(request, timeout=2).status)
except Exception as exc:
    print("unreachable", type(exc).__name__)
"""


async def probe(url: str, container: str, target: str, token: str) -> str:
    """GET `target` from inside `container`: the status code, or "unreachable …"."""
    process = await asyncio.create_subprocess_exec(
        "docker", "-H", url, "exec", container, "python3", "-c", PROBE, target, token,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await process.communicate()
    return out.decode().strip()


def status_url(endpoint: Endpoint, notebook: Notebook) -> str:
    return f"http://{endpoint.host}:{endpoint.port}/api/status"


async def wait_answers(url: str, container: str, target: str, token: str) -> None:
    """Until Jupyter's status answers 200 from inside `container` (what readiness does)."""
    seen = ""
    for _ in range(300):
        seen = await probe(url, container, target, token)
        if seen == "200":
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"{target} never answered 200 from {container[:12]}; last: {seen}")


async def next_event(
    stream: EventStream, want: str, unit_id: str, timeout: float = 60
) -> RuntimeEvent:
    async def find() -> RuntimeEvent:
        while True:
            event = await stream.get()
            assert event is not None, "the event stream ended"
            if event.action == want and event.unit_id == unit_id:
                return event

    return await asyncio.wait_for(find(), timeout)


async def task_container(docker: aiodocker.Docker, name: str) -> dict[str, Any]:
    """The running container of service `name`'s task on this engine."""
    filters = json.dumps({"label": [f"com.docker.swarm.service.name={name}"]})
    for _ in range(300):
        running = await docker.containers.list(filters=filters)
        if running:
            info: dict[str, Any] = await running[0].show()
            return info
        await asyncio.sleep(0.1)
    raise AssertionError(f"no running container of service {name}")


async def running_task_node(docker: aiodocker.Docker, name: str) -> str:
    for _ in range(600):
        for task in await docker.tasks.list(filters={"service": name}):
            if task["Status"]["State"] == "running":
                return str(task["NodeID"])
        await asyncio.sleep(0.1)
    raise AssertionError(f"no task of {name} ever ran")
