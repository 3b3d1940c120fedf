"""Networks made ahead (worker/spares.py): a new notebook's first start finds its network
made, with a running holder whose namespace it joins, the worker makes another, reconcile
keeps spares and nothing else, and a spare never costs a notebook the address range its
own network needs."""

from __future__ import annotations

import asyncio
import contextlib
import io
import tarfile
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiodocker
import pytest
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.notebook_origin import new_key
from app.services.notebooks import spare_keys
from tests.notebooks.inside import python_inside
from tests.notebooks.test_identity import healthy, the_only_container
from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack
from worker.docker import NotebookDocker
from worker.runtime.docker import DockerRuntime
from worker.spec import holder_name, holder_spec, network_spec, resource_name

SPARES = 2  # the default (the tests' stacks keep one)
LIST_PROCESSES = """
import os
for pid in filter(str.isdigit, os.listdir("/proc")):
    print(open(f"/proc/{pid}/cmdline").read().replace(chr(0), " "))
"""


@pytest.fixture
def stack_settings(stack_settings: Settings) -> Settings:
    return stack_settings.model_copy(update={"notebook_spare_networks": SPARES})


@pytest.fixture
async def redis(stack: Stack) -> AsyncIterator[Redis]:
    client = Redis.from_url(stack.settings.redis_url, decode_responses=True)
    yield client
    await client.aclose()


async def network(docker: aiodocker.Docker, name: str) -> dict[str, Any] | None:
    try:
        info: dict[str, Any] = await (await docker.networks.get(name)).show()
    except aiodocker.DockerError:
        return None
    return info


async def container(docker: aiodocker.Docker, name: str) -> dict[str, Any] | None:
    try:
        info: dict[str, Any] = await docker.containers.container(name).show()
    except aiodocker.DockerError:
        return None
    return info


async def offered_spares(
    settings: Settings, redis: Redis, docker: aiodocker.Docker, count: int = SPARES
) -> set[str]:
    """The keys offered once `count` of them are, each with its network made; polls of 0.1 s
    for up to a minute (a worker that just started first reconciles)."""
    for _ in range(600):
        keys = await spare_keys.held(redis, settings.instance)
        if len(keys) == count:
            made = [await network(docker, resource_name(settings, key)) for key in keys]
            if all(made):
                return keys
        await asyncio.sleep(0.1)
    raise AssertionError(f"{count} spares wanted, offered: {keys}")


async def test_a_new_notebook_starts_on_a_spare_network_and_another_is_made(
    stack: Stack, docker: aiodocker.Docker, redis: Redis, feed_for: Callable[..., Any]
) -> None:
    settings = stack.settings
    before = await offered_spares(settings, redis, docker)
    for key in before:
        info = await network(docker, resource_name(settings, key))
        assert info is not None
        assert info["Labels"] == {
            "workspace.instance": settings.instance,
            "workspace.notebook_key": key,
        }
        assert info["Internal"] is not settings.notebook_egress
        (holder,) = info["Containers"].values()
        assert holder["Name"] == holder_name(resource_name(settings, key))

    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    notebook = await healthy(alice, feed)
    assert notebook["key"] in before, "the notebook was given a key whose network was made"
    name = resource_name(settings, notebook["key"])
    container = await the_only_container(docker, notebook["key"])
    holder = await (await docker.containers.get(holder_name(name))).show()
    assert container["HostConfig"]["NetworkMode"] == f"container:{holder['Id']}"
    assert list(holder["NetworkSettings"]["Networks"]) == [name]
    assert holder["HostConfig"]["CapDrop"] == ["ALL"] and holder["Config"]["User"] == "65534:65534"
    assert holder["HostConfig"]["ReadonlyRootfs"] is True
    assert "Health" not in holder["State"], "no health check runs in it"
    labels = holder["Config"]["Labels"]
    assert labels["workspace.instance"] == settings.instance
    assert labels["workspace.holds_network_of"] == notebook["key"]
    assert "workspace.notebook_key" not in labels, "the watcher and reconcile take it for no unit"
    assert (await alice.get(f"/api/notebooks/{notebook['id']}")).json()["status"] == "healthy"
    # It shares the holder's network, nothing else: the holder's process is out of its sight.
    processes = await python_inside(docker, container["Id"], LIST_PROCESSES)
    assert "sleep" not in processes and "testnb" in processes, processes

    after = await offered_spares(settings, redis, docker)
    assert notebook["key"] not in after, "a taken key is never offered again"
    assert len(after - before) == 1, "the one taken was made again"

    bob = await stack.user("bob")
    other = await healthy(bob, await feed_for(bob))
    assert other["key"] in after and other["key"] != notebook["key"]


async def test_reconcile_keeps_the_spares_and_removes_a_network_nobody_wants(
    stack: Stack, docker: aiodocker.Docker, redis: Redis
) -> None:
    settings = stack.settings
    spares = await offered_spares(settings, redis, docker)
    key = new_key()  # labelled like ours, for no notebook, not offered
    stray = network_spec(settings, key)
    await docker.networks.create(stray)
    holder = await docker.containers.create(
        holder_spec(settings, key, TEST_IMAGE), name=holder_name(stray["Name"])
    )
    await holder.start()
    await stack.restart_worker()  # reconcile runs when the watcher starts
    for _ in range(600):
        if await network(docker, stray["Name"]) is None:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError("a network for no notebook survived reconcile")
    assert await container(docker, holder.id) is None, "its holder went with it"
    assert await offered_spares(settings, redis, docker) == spares, "the spares were kept"


async def test_a_spare_whose_holder_stopped_is_replaced(
    stack: Stack, docker: aiodocker.Docker, redis: Redis
) -> None:
    """As after Docker restarted: the holder is stopped (its namespace gone), so the spare
    would give its notebook no head start. Reconcile's top-up withdraws it and makes one."""
    settings = stack.settings
    spares = await offered_spares(settings, redis, docker)
    broken = sorted(spares)[0]
    name = resource_name(settings, broken)
    await docker.containers.container(holder_name(name)).kill()
    await stack.restart_worker()  # reconcile runs when the watcher starts
    for _ in range(600):
        keys = await spare_keys.held(redis, settings.instance)
        if broken not in keys and len(keys) == SPARES:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the broken spare was kept")
    assert await network(docker, name) is None, "its remains are removed"
    assert await container(docker, holder_name(name)) is None
    for key in keys:
        holder = await container(docker, holder_name(resource_name(settings, key)))
        assert holder is not None and holder["State"]["Running"], key


async def test_a_start_with_no_address_range_left_takes_a_spare_s(
    stack: Stack, docker: aiodocker.Docker, redis: Redis, feed_for: Callable[..., Any]
) -> None:
    """Docker's address pools are small: when they are used up, a start (here a restart,
    whose network went with its stop) gets the range a spare held."""
    settings = stack.settings
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    notebook = await healthy(alice, feed)
    assert (await alice.post(f"/api/notebooks/{notebook['id']}/stop")).status_code == 202
    await feed.wait_status(notebook["id"], "stopped")
    name = resource_name(settings, notebook["key"])
    assert await network(docker, name) is None
    assert await container(docker, holder_name(name)) is None, "nor its holder"
    await offered_spares(settings, redis, docker)

    fillers: list[str] = []
    try:
        for _ in range(512):
            spec = network_spec(settings, new_key())
            try:
                await docker.networks.create(spec)
            except aiodocker.DockerError as exc:
                assert "address pool" in str(exc.message).lower(), exc.message
                break
            fillers.append(spec["Name"])
        else:
            raise AssertionError("Docker's address pools never ran out")

        restart = len(feed.messages)
        assert (await alice.post(f"/api/notebooks/{notebook['id']}/start")).status_code == 202
        await feed.wait_status(notebook["id"], "healthy", since=restart)
        assert len(await spare_keys.held(redis, settings.instance)) == SPARES - 1
    finally:
        for name in fillers:
            with contextlib.suppress(aiodocker.DockerError):
                await (await docker.networks.get(name)).delete()


async def test_a_holder_that_cannot_start_leaves_the_spare_a_plain_network(
    docker: aiodocker.Docker, stack_settings: Settings
) -> None:
    """The default image has no `sleep` (here: an image with no files at all): the spare is
    still made, without a holder, and a start on it uses the network itself."""
    empty = "workspace-test/empty:latest"
    proc = await asyncio.create_subprocess_exec(
        "docker", "import", "-", empty, stdin=asyncio.subprocess.PIPE
    )
    await proc.communicate(tarfile_of_nothing())
    assert proc.returncode == 0
    settings = stack_settings.model_copy(update={"notebook_images": [empty, TEST_IMAGE]})
    runtime = DockerRuntime(NotebookDocker(docker, settings.instance), settings)
    key = new_key()
    name = resource_name(settings, key)
    try:
        assert await runtime.make_network(key) is True
        assert await network(docker, name) is not None
        assert await container(docker, holder_name(name)) is None, "the failed holder is gone"
        assert await runtime.spare_ready(key), "a plain network, not a broken spare"
    finally:
        await runtime.remove_unit(name)
    assert await network(docker, name) is None


def tarfile_of_nothing() -> bytes:
    buffer = io.BytesIO()
    tarfile.open(fileobj=buffer, mode="w").close()
    return buffer.getvalue()
