"""The real stack on either runtime, for the tests that run once per runtime with the same
assertions (the lifecycle, a unit killed from outside, reconcile after the worker restarts).

`docker`: the api and the worker as processes here, notebooks on the host's engine.
`swarm`: the api here, the worker in a container on the test swarm's manager (as a stack
runs it, joined to notebook networks), notebooks as services there. What the assertions
look at is asked of the engine the notebooks run on.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiodocker
import pytest

from app.core.config import Settings
from tests.support import host_guard
from tests.support.environment import INSTANCE, TEST_IMAGE
from tests.support.stack import (
    Stack,
    WorkerFactory,
    remove_instance_resources,
    running_stack,
    worker_process,
)
from tests.support.stack_fixtures import call_failed
from tests.support.swarm_engine import SwarmEngine
from tests.support.swarm_fixtures import remove_instance
from tests.support.swarm_worker import SwarmWorker


@dataclass
class RuntimeStack:
    kind: str  # WORKSPACE_RUNTIME
    stack: Stack
    engine: aiodocker.Docker  # where the notebooks run

    def _labels(self, key: str) -> list[str]:
        return [f"workspace.instance={INSTANCE}", f"workspace.notebook_key={key}"]

    async def running(self, key: str) -> list[dict[str, Any]]:
        """The notebook's running containers."""
        filters = json.dumps({"label": self._labels(key), "status": ["running"]})
        return [c._container for c in await self.engine.containers.list(filters=filters)]

    async def leftovers(self, key: str) -> list[str]:
        """What is left of the notebook but its volume: containers (Docker), services
        (Swarm, which removes its tasks' containers itself), networks."""
        labels = self._labels(key)
        if self.kind == "swarm":
            found = [
                s["Spec"]["Name"]
                for s in await self.engine.services.list(filters={"label": labels})
            ]
        else:
            containers = await self.engine.containers.list(
                all=True, filters=json.dumps({"label": labels})
            )
            found = [c._container["Names"][0] for c in containers]
        networks = await self.engine.networks.list(filters={"label": labels})
        return found + [n["Name"] for n in networks]

    async def volume_exists(self, key: str) -> bool:
        try:
            await self.engine.volumes.get(f"{INSTANCE}-nb-{key}")
        except aiodocker.DockerError:
            return False
        return True

    async def make_orphan(self, key: str) -> None:
        """A unit and a network labelled for a notebook that has no row."""
        name = f"{INSTANCE}-nb-{key}"
        labels = {"workspace.instance": INSTANCE, "workspace.notebook_key": key}
        if self.kind == "swarm":
            await self.engine.networks.create(
                {"Name": name, "Driver": "overlay", "Attachable": True, "Labels": labels}
            )
            spec = {
                "Name": name,
                "Labels": labels,
                "TaskTemplate": {
                    "ContainerSpec": {
                        "Image": TEST_IMAGE,
                        "Env": ["JUPYTER_TOKEN=x"],
                        "Labels": {**labels, "workspace.run": "orphan"},
                    },
                    "Networks": [{"Target": name}],
                },
                "EndpointSpec": {"Mode": "dnsrr"},
            }
            await self.engine._query_json("services/create", "POST", data=json.dumps(spec))
        else:
            await self.engine.networks.create({"Name": name, "Labels": labels})
            await self.engine.containers.create(
                {"Image": TEST_IMAGE, "Env": ["JUPYTER_TOKEN=x"], "Labels": labels}, name=name
            )


@pytest.fixture(params=["docker", "swarm"])
async def runtime_stack(
    request: pytest.FixtureRequest, stack_settings: Settings
) -> AsyncIterator[RuntimeStack]:
    # Only synchronous fixtures can be asked for by name here (`swarm`): the engines'
    # clients are opened and cleaned as the `docker` and `swarm_docker` fixtures do.
    if request.param == "docker":
        engine, settings = aiodocker.Docker(), stack_settings
        make_worker: WorkerFactory = worker_process()
        clean: Callable[[aiodocker.Docker], Awaitable[Any]] = functools.partial(
            remove_instance_resources, instance=settings.instance
        )
        swarm: SwarmEngine | None = None
    else:
        swarm = request.getfixturevalue("swarm")
        engine, clean = aiodocker.Docker(url=swarm.url), remove_instance
        settings = stack_settings.model_copy(update={"runtime": "swarm"})
        make_worker = SwarmWorker
    await clean(engine)
    try:
        async with running_stack(settings, make_worker=make_worker) as stack:
            yield RuntimeStack(str(request.param), stack, engine)
        if call_failed(request, or_not_run=True):
            print(stack.output())
    finally:
        await clean(engine)
        await engine.close()
    if swarm is not None:
        found = host_guard.problems(swarm.host_before)
        assert not found, found
