"""The notebook lifecycle end to end: API → arq job → Docker → watcher → WebSocket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import aiodocker
import httpx
import pytest

from tests.support.environment import INSTANCE, TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.runtime_stack import RuntimeStack
from tests.support.stack import Stack
from worker.docker import NotebookDocker


async def ours(docker: aiodocker.Docker, key: str) -> list[dict[str, Any]]:
    """The containers of the notebook with this key."""
    filters = json.dumps(
        {"label": [f"workspace.instance={INSTANCE}", f"workspace.notebook_key={key}"]}
    )
    return [c._container for c in await docker.containers.list(all=True, filters=filters)]


async def network_side(docker: aiodocker.Docker, container: dict[str, Any]) -> dict[str, Any]:
    """The inspect data that holds a notebook container's network: its own, or its network
    holder's when it joined one (worker/spec.py `holder_spec`)."""
    holder = NotebookDocker.namespace_holder(container)
    if holder is None:
        return container
    info: dict[str, Any] = await (await docker.containers.get(holder)).show()
    return info


async def key_of(client: httpx.AsyncClient, notebook_id: int) -> str:
    key: str = (await client.get(f"/api/notebooks/{notebook_id}")).json()["key"]
    return key


async def volume_exists(docker: aiodocker.Docker, key: str) -> bool:
    try:
        await docker.volumes.get(f"{INSTANCE}-nb-{key}")
    except aiodocker.DockerError:
        return False
    return True


async def test_create_stop_start_delete_in_order(runtime_stack: RuntimeStack) -> None:
    """Once per runtime (a container on one engine, a Swarm service), the same assertions."""
    stack, rs = runtime_stack.stack, runtime_stack
    alice = await stack.user("alice")
    feed = await stack.feed(alice)
    r = await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})
    assert r.status_code == 202, r.text
    created = r.json()
    nb, key = created["id"], created["key"]
    assert created["status"] == "pending"
    assert "jupyter_token" not in created and "container_id" not in created

    await feed.wait_status(nb, "healthy")
    statuses = feed.statuses(nb)
    assert statuses[statuses.index("creating") :][:3] == ["creating", "starting", "healthy"]
    versions = [
        m["version"] for m in feed.messages if m.get("id") == nb and m.get("type") == "event"
    ]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert len(await rs.running(key)) == 1

    assert (await alice.post(f"/api/notebooks/{nb}/stop")).status_code == 202
    await feed.wait_status(nb, "stopped")
    assert await rs.running(key) == []
    assert await rs.volume_exists(key)

    before = len(feed.messages)
    assert (await alice.post(f"/api/notebooks/{nb}/start")).status_code == 202
    await feed.wait_for(
        lambda m: m in feed.messages[before:] and m.get("data", {}).get("status") == "healthy"
    )
    assert len(await rs.running(key)) == 1

    assert (await alice.delete(f"/api/notebooks/{nb}")).status_code == 202
    await feed.wait_status(nb, "removed")
    assert await rs.running(key) == []
    assert await rs.leftovers(key) == []
    assert await rs.volume_exists(key), "the volume is kept unless purge=true"
    assert (await alice.get(f"/api/notebooks/{nb}")).status_code == 404


async def test_a_stopped_container_is_removed_and_only_the_volume_stays(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    """On one engine a stop removes the container (and its network): nothing is left to
    restart by hand, and a start is a fresh container."""
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    r = await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})
    nb, key = r.json()["id"], r.json()["key"]
    await feed.wait_status(nb, "healthy")
    assert len(await ours(docker, key)) == 1
    assert (await alice.post(f"/api/notebooks/{nb}/stop")).status_code == 202
    await feed.wait_status(nb, "stopped")
    assert await ours(docker, key) == []
    assert await volume_exists(docker, key)


async def test_delete_with_purge_removes_the_volume(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    created = (await alice.post("/api/notebooks", json={"name": "tmp", "image": TEST_IMAGE})).json()
    nb, key = created["id"], created["key"]
    await feed.wait_status(nb, "healthy")
    assert await volume_exists(docker, key)
    assert (await alice.delete(f"/api/notebooks/{nb}?purge=true")).status_code == 202
    await feed.wait_status(nb, "removed")
    assert not await volume_exists(docker, key)


async def test_container_is_hardened(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    r = await alice.post(
        "/api/notebooks",
        json={
            "name": "safe",
            "image": TEST_IMAGE,
            "cpus": 0.5,
            "memory_mb": 256,
            "env": {"MY_SETTING": "42"},
        },
    )
    nb, key = r.json()["id"], r.json()["key"]
    await feed.wait_status(nb, "healthy")
    (info,) = await ours(docker, key)
    full = await (await docker.containers.get(info["Id"])).show()
    host = full["HostConfig"]
    assert host["Privileged"] is False
    assert host["CapDrop"] == ["ALL"]
    assert "no-new-privileges:true" in host["SecurityOpt"]
    assert host["Memory"] == 256 * 1024 * 1024
    assert host["NanoCpus"] == 500_000_000
    assert host["PidsLimit"] and host["PidsLimit"] > 0
    assert full["Config"]["User"] == "1000:1000"
    assert all(m["Type"] == "volume" for m in full["Mounts"])
    assert not any("docker.sock" in (m.get("Source") or "") for m in full["Mounts"])
    # Published by the container itself or by the network holder it joined (worker/spec.py).
    net = await network_side(docker, full)
    bindings = net["NetworkSettings"]["Ports"]["8888/tcp"]
    assert bindings and all(b["HostIp"] == "127.0.0.1" for b in bindings)
    assert "MY_SETTING=42" in full["Config"]["Env"]


async def test_another_user_sees_nothing_and_gets_404(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice, bob = await stack.user("alice"), await stack.user("bob")
    bob_feed: EventFeed = await feed_for(bob)
    alice_feed: EventFeed = await feed_for(alice)
    nb = (await alice.post("/api/notebooks", json={"name": "mine", "image": TEST_IMAGE})).json()[
        "id"
    ]
    await alice_feed.wait_status(nb, "healthy")
    assert (await bob.get("/api/notebooks")).json() == {"data": [], "count": 0}
    for method, path in [
        ("GET", ""),
        ("PATCH", ""),
        ("POST", "/stop"),
        ("POST", "/start"),
        ("POST", "/restart"),
        ("DELETE", ""),
        ("GET", "/logs"),
    ]:
        body = {"cpus": 1} if method == "PATCH" else None
        r = await bob.request(method, f"/api/notebooks/{nb}{path}", json=body)
        assert r.status_code == 404, (method, path, r.status_code)
    assert [m for m in bob_feed.messages if m.get("type") == "event"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "image": "evil/miner:latest"}, "image"),
        ({"name": "x", "cpus": 1000}, "cpus"),
        ({"name": "x", "cpus": 64}, "cpus"),
        # Docker takes NanoCpus=0 (what 1e-10 CPUs rounds to) as no limit at all.
        ({"name": "x", "cpus": 1e-10}, "cpus"),
        ({"name": "x", "cpus": 0.09}, "cpus"),
        ({"name": "x", "memory_mb": 10**6}, "memory_mb"),
        ({"name": "x", "env": {"1BAD": "v"}}, "env"),
        ({"name": "x", "env": {"JUPYTER_TOKEN": "steal"}}, "env"),
        ({"name": "Bad Name!"}, "name"),
        ({"name": "x", "privileged": True}, "privileged"),
    ],
)
async def test_bad_input_is_422_with_the_field_and_creates_nothing(
    stack: Stack, docker: aiodocker.Docker, body: dict[str, Any], field: str
) -> None:
    alice = await stack.user("alice")
    r = await alice.post("/api/notebooks", json=body)
    assert r.status_code == 422, r.text
    assert any(field in err["loc"] for err in r.json()["detail"]), r.json()
    assert (await alice.get("/api/notebooks")).json()["count"] == 0
    # Any notebook's container; a spare network's holder belongs to none.
    label = json.dumps({"label": [f"workspace.instance={INSTANCE}", "workspace.notebook_key"]})
    assert await docker.containers.list(all=True, filters=label) == []


async def test_duplicate_name_is_409(stack: Stack) -> None:
    alice = await stack.user("alice")
    assert (
        await alice.post("/api/notebooks", json={"name": "twin", "image": TEST_IMAGE})
    ).status_code == 202
    r = await alice.post("/api/notebooks", json={"name": "twin", "image": TEST_IMAGE})
    assert r.status_code == 409
    assert "twin" in r.json()["detail"]
    assert r.json()["field"] == "name"


async def test_a_deleted_notebooks_row_goes_and_its_name_is_free_again(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    body = {"name": "again", "image": TEST_IMAGE}
    nb = (await alice.post("/api/notebooks", json=body)).json()["id"]
    await feed.wait_status(nb, "healthy")
    assert (await alice.delete(f"/api/notebooks/{nb}")).status_code == 202
    await feed.wait_status(nb, "removed")
    # The job deletes the row right after `removed`; then the name can be used again.
    for _ in range(50):
        r = await alice.post("/api/notebooks", json=body)
        if r.status_code != 409:
            break
        await asyncio.sleep(0.1)
    assert r.status_code == 202, r.text
    assert r.json()["id"] != nb
