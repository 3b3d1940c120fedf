"""A single-node swarm on a second Docker daemon, started once per test run (see
tests/support/swarm_engine.py), and per test a clean slate on it: no service, network,
container or volume of the test instance."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator

import aiodocker
import pytest

from tests.support import host_guard, swarm_engine
from tests.support.environment import INSTANCE
from tests.support.swarm_engine import SwarmEngine

HOST_CHECK_LABEL = f"workspace.instance={INSTANCE}-hostcheck"


@pytest.fixture(scope="session")
def swarm() -> Iterator[SwarmEngine]:
    with swarm_engine.exclusive():
        before = host_guard.snapshot()
        host_guard.check(before, label=HOST_CHECK_LABEL)
        try:
            engine = swarm_engine.up()
            engine.label_node(engine.node_ids["manager"], {swarm_engine.NODE_LABEL: "true"})
            yield engine
        finally:
            swarm_engine.down()
            host_guard.check(before, label=HOST_CHECK_LABEL, leftovers=swarm_engine.OUR_LINKS)


@pytest.fixture(autouse=True)
def host_intact(swarm: SwarmEngine) -> Iterator[None]:
    """After every test: the host's docker0 and routes as they were (the smoke test of the
    host engine runs once, around the whole session)."""
    yield
    found = host_guard.problems(swarm.host_before)
    assert not found, found


async def remove_instance(docker: aiodocker.Docker) -> None:
    labelled = {"label": [f"workspace.instance={INSTANCE}"]}
    for service in await docker.services.list(filters=labelled):
        with contextlib.suppress(aiodocker.DockerError):
            await docker.services.delete(service["ID"])
    for container in await docker.containers.list(all=True, filters=json.dumps(labelled)):
        with contextlib.suppress(aiodocker.DockerError):
            await container.delete(force=True)
    for _ in range(100):  # the services' containers go shortly after the services
        if not await docker.containers.list(all=True, filters=json.dumps(labelled)):
            break
        await asyncio.sleep(0.1)
    for network in await docker.networks.list(filters=labelled):
        with contextlib.suppress(aiodocker.DockerError):
            await aiodocker.networks.DockerNetwork(docker, network["Id"]).delete()
    volumes = await docker.volumes.list(filters=labelled)
    for volume in volumes.get("Volumes") or []:
        with contextlib.suppress(aiodocker.DockerError):
            await aiodocker.volumes.DockerVolume(docker, volume["Name"]).delete()


@pytest.fixture
async def swarm_docker(swarm: SwarmEngine) -> AsyncIterator[aiodocker.Docker]:
    client = aiodocker.Docker(url=swarm.url)
    await remove_instance(client)
    yield client
    await remove_instance(client)
    await client.close()


PLACEMENT_LABEL = "workspace.placement-test"


@pytest.fixture(scope="session")
def swarm_worker(swarm: SwarmEngine) -> str:
    """A second node (its own network namespace and daemon) labelled for placement tests:
    its node id."""
    return swarm.add_worker(labels={PLACEMENT_LABEL: "yes"})
