"""The Swarm runtime on a real single-node swarm (a second Docker daemon)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiodocker
import pytest

from tests.runtime.swarm_helpers import (
    make_notebook,
    make_runtime,
    next_event,
    probe,
    start_reacher,
    status_url,
    task_container,
    wait_answers,
)
from tests.support.swarm_engine import SwarmEngine
from worker.runtime.base import DESTROY, DIE, HEALTHY, START
from worker.runtime.swarm import SwarmRuntime


@pytest.fixture
async def runtime(
    swarm: SwarmEngine, swarm_docker: aiodocker.Docker
) -> AsyncIterator[SwarmRuntime]:
    rt = make_runtime(swarm.url)
    yield rt
    await rt.close()


async def test_a_notebook_is_a_hardened_one_replica_service_on_its_own_overlay(
    swarm: SwarmEngine, swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    reacher = await start_reacher(swarm_docker)
    nb = make_notebook(env={"MY_SETTING": "42"})
    unit = await runtime.prepare(nb)
    assert unit.running is False
    service = await swarm_docker.services.inspect(unit.name)
    assert service["Spec"]["Mode"]["Replicated"]["Replicas"] == 0

    await runtime.start(unit)
    endpoint = await runtime.endpoint(unit)
    assert endpoint is not None
    await wait_answers(swarm.url, reacher, status_url(endpoint, nb), nb.jupyter_token)
    found = await runtime.find(unit.name)
    assert found is not None and found.running and found.id == unit.id
    assert found.config_hash == runtime.config_hash(nb)

    spec = (await swarm_docker.services.inspect(unit.name))["Spec"]
    assert spec["EndpointSpec"] == {"Mode": "dnsrr"}  # no virtual IP, nothing published
    assert "Ports" not in spec["EndpointSpec"]
    resources = spec["TaskTemplate"]["Resources"]
    assert resources["Limits"] == {"NanoCPUs": 500_000_000, "MemoryBytes": 256 << 20, "Pids": 512}
    assert resources["Reservations"] == {"NanoCPUs": 125_000_000, "MemoryBytes": 256 << 20}
    assert spec["Labels"]["workspace.owner"] == "7"

    info = await task_container(swarm_docker, unit.name)
    host = info["HostConfig"]
    assert host["CapDrop"] == ["ALL"] and host["Init"] is True
    assert host["Memory"] == 256 << 20 and host["NanoCpus"] == 500_000_000
    assert host["PidsLimit"] == 512 and host["PortBindings"] in (None, {})
    assert info["Config"]["User"] == "1000:1000"
    assert "MY_SETTING=42" in info["Config"]["Env"]
    assert all(m["Type"] == "volume" for m in info["Mounts"])
    # Set engine-wide on notebook nodes (this API cannot ask for it per service).
    status = await swarm_docker.containers.container(info["Id"]).exec(["cat", "/proc/1/status"])
    async with status.start(detach=False) as stream:
        text = b""
        while (message := await stream.read_out()) is not None:
            text += message.data
    assert b"NoNewPrivs:\t1" in text

    (network,) = await swarm_docker.networks.list(filters={"name": unit.name})
    assert network["Driver"] == "overlay" and network["Attachable"] is True
    assert network["Labels"]["workspace.notebook_id"] == str(nb.id)


async def test_notebooks_cannot_reach_each_other(
    swarm: SwarmEngine, swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    reacher = await start_reacher(swarm_docker)
    first, second = make_notebook(), make_notebook()
    units = [await runtime.prepare(nb) for nb in (first, second)]
    for unit in units:
        await runtime.start(unit)
    endpoints = [await runtime.endpoint(u) for u in units]
    assert endpoints[0] is not None and endpoints[1] is not None
    await wait_answers(swarm.url, reacher, status_url(endpoints[1], second), second.jupyter_token)
    await wait_answers(swarm.url, reacher, status_url(endpoints[0], first), first.jupyter_token)

    # From inside the first notebook: the second's name does not resolve, its IP is not routed.
    inside = (await task_container(swarm_docker, units[0].name))["Id"]
    by_name = await probe(swarm.url, inside, status_url(endpoints[1], second), second.jupyter_token)
    assert by_name.startswith("unreachable"), by_name
    other = await task_container(swarm_docker, units[1].name)
    (address,) = [
        n["IPAddress"] for name, n in other["NetworkSettings"]["Networks"].items()
        if name == units[1].name
    ]  # fmt: skip
    by_ip = f"http://{address}:8888{second.base_url}api/status"
    assert (await probe(swarm.url, inside, by_ip, second.jupyter_token)).startswith("unreachable")


async def test_events_name_the_unit_and_a_killed_task_dies_with_its_exit_code(
    swarm: SwarmEngine, swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    nb = make_notebook()
    async with runtime.events() as stream:
        unit = await runtime.prepare(nb)
        await runtime.start(unit)
        started = await next_event(stream, START, unit.id)
        assert started.notebook_id == nb.id
        await next_event(stream, HEALTHY, unit.id)
        info = await task_container(swarm_docker, unit.name)
        await swarm_docker.containers.container(info["Id"]).kill()
        died = await next_event(stream, DIE, unit.id)
        assert died.exit_code == "137"
    # Swarm does not restart it: the crash is reported, not hidden. (The task's state
    # reaches the manager a moment after the container's `die`.)
    running = True
    for _ in range(100):
        found = await runtime.find(unit.name)
        running = found is not None and found.running
        if not running:
            break
        await asyncio.sleep(0.1)
    assert not running
    assert len(await runtime.tasks_of(unit.name)) == 1


async def test_a_service_removed_outside_is_destroyed(
    swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    nb = make_notebook()
    async with runtime.events() as stream:
        unit = await runtime.prepare(nb)
        await runtime.start(unit)
        await next_event(stream, START, unit.id)
        await swarm_docker.services.delete(unit.name)
        gone = await next_event(stream, DESTROY, unit.id)
        assert gone.notebook_id == nb.id


async def test_stop_scales_to_zero_keeps_the_files_and_pins_the_node(
    swarm: SwarmEngine, swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    nb = make_notebook()
    unit = await runtime.prepare(nb)
    await runtime.start(unit)
    info = await task_container(swarm_docker, unit.name)
    write = await swarm_docker.containers.container(info["Id"]).exec(
        ["sh", "-c", "echo kept > /home/jovyan/work/file.txt"]
    )
    await write.start(detach=True)
    await asyncio.sleep(0.5)

    await runtime.stop(unit.name)
    stopped = await runtime.find(unit.name)
    assert stopped is not None and not stopped.running
    service = await swarm_docker.services.inspect(unit.name)
    assert service["Spec"]["Mode"]["Replicated"]["Replicas"] == 0

    again = await runtime.prepare(nb)
    assert again.id != unit.id  # each start is a unit of its own
    spec = (await swarm_docker.services.inspect(unit.name))["Spec"]
    assert spec["TaskTemplate"]["Placement"]["Constraints"] == [
        f"node.id == {swarm.node_ids['manager']}"
    ]
    await runtime.start(again)
    info = await task_container(swarm_docker, unit.name)
    read = await swarm_docker.containers.container(info["Id"]).exec(
        ["cat", "/home/jovyan/work/file.txt"]
    )
    async with read.start(detach=False) as stream:
        message = await stream.read_out()
    assert message is not None and message.data == b"kept\n"


async def test_remove_with_purge_leaves_nothing(
    swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    reacher = await start_reacher(swarm_docker)
    nb = make_notebook()
    unit = await runtime.prepare(nb)
    await runtime.start(unit)
    await task_container(swarm_docker, unit.name)
    await runtime.remove(unit.name, purge_volume=True)
    assert await runtime.find(unit.name) is None
    assert await swarm_docker.networks.list(filters={"name": unit.name}) == []
    with pytest.raises(aiodocker.DockerError):
        await swarm_docker.volumes.get(unit.name)
    joined = (await swarm_docker.containers.get(reacher))._container["NetworkSettings"]["Networks"]
    assert unit.name not in joined
    await runtime.remove(unit.name, purge_volume=True)  # again: already gone is an outcome


async def test_logs_follow_the_current_start(
    swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    nb = make_notebook()
    unit = await runtime.prepare(nb)
    await runtime.start(unit)

    async def first_listening_line() -> str:
        async for chunk in runtime.logs(unit):
            if "testnb listening on" in chunk:
                return chunk
        raise AssertionError("the log stream ended")

    assert "8888" in await asyncio.wait_for(first_listening_line(), 60)


async def test_reach_all_joins_a_restarted_api_or_worker(
    swarm: SwarmEngine, swarm_docker: aiodocker.Docker, runtime: SwarmRuntime
) -> None:
    nb = make_notebook()
    unit = await runtime.prepare(nb)
    await runtime.start(unit)
    late = await start_reacher(swarm_docker, "late-reacher")  # came up after the notebook
    endpoint = await runtime.endpoint(unit)
    assert endpoint is not None
    assert (await probe(swarm.url, late, status_url(endpoint, nb), nb.jupyter_token)).startswith(
        "unreachable"
    )
    await runtime.reach_all()
    await wait_answers(swarm.url, late, status_url(endpoint, nb), nb.jupyter_token)
