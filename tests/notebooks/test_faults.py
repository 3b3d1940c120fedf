"""Faults from outside: containers killed or removed, the worker crashing, Docker restarting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import aiodocker
import asyncpg
from sqlalchemy import make_url

from app.core.notebook_origin import new_key
from tests.notebooks.test_lifecycle import key_of, ours
from tests.support.databases import database_url
from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.runtime_stack import RuntimeStack
from tests.support.stack import Stack


async def healthy_notebook(
    stack: Stack, feed_for: Callable[..., Any], name: str = "lab", **extra: Any
) -> tuple[Any, EventFeed, int]:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    r = await alice.post("/api/notebooks", json={"name": name, "image": TEST_IMAGE, **extra})
    assert r.status_code == 202, r.text
    nb = int(r.json()["id"])
    await feed.wait_status(nb, "healthy")
    return alice, feed, nb


async def test_a_unit_killed_from_outside_shows_stopped_within_a_second(
    runtime_stack: RuntimeStack,
) -> None:
    """`docker kill` of the notebook's container (under Swarm, its task's): once per
    runtime, the same assertions."""
    alice, feed, nb = await healthy_notebook(runtime_stack.stack, runtime_stack.stack.feed)
    (info,) = await runtime_stack.running(await key_of(alice, nb))
    started = time.monotonic()
    await runtime_stack.engine.containers.container(info["Id"]).kill()
    event = await feed.wait_status(nb, "stopped", timeout=5)
    assert time.monotonic() - started < 1.0
    assert "exited unexpectedly" in event["data"]["status_reason"]
    assert (await alice.get(f"/api/notebooks/{nb}")).json()["desired_state"] == "stopped"
    assert await runtime_stack.running(await key_of(alice, nb)) == []  # nothing restarted it


async def test_docker_rm_force_shows_removed(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice, feed, nb = await healthy_notebook(stack, feed_for)
    (info,) = await ours(docker, await key_of(alice, nb))
    started = time.monotonic()
    await docker.containers.container(info["Id"]).delete(force=True)
    event = await feed.wait_status(nb, "removed", timeout=5)
    assert time.monotonic() - started < 1.0
    assert "outside WorkSpace" in event["data"]["status_reason"]
    # The person can start it again: a fresh container on the same volume.
    assert (await alice.post(f"/api/notebooks/{nb}/start")).status_code == 202
    before = len(feed.messages)
    await feed.wait_for(
        lambda m: m in feed.messages[before:] and m.get("data", {}).get("status") == "healthy"
    )
    assert len(await ours(docker, await key_of(alice, nb))) == 1


async def test_worker_killed_mid_start_converges_with_one_unit(runtime_stack: RuntimeStack) -> None:
    """The worker crashes mid-start and comes back: reconcile drives the start to its end,
    with one unit. Once per runtime, the same assertions."""
    stack = runtime_stack.stack
    alice = await stack.user("alice")
    feed = await stack.feed(alice)
    # The server inside waits 3 s before it answers, so the job is caught mid-start.
    r = await alice.post(
        "/api/notebooks",
        json={"name": "slow", "image": TEST_IMAGE, "env": {"TESTNB_START_DELAY": "3"}},
    )
    nb = r.json()["id"]
    await feed.wait_status(nb, "starting")
    await stack.restart_worker(crash=True)
    await feed.wait_status(nb, "healthy", timeout=60)
    assert len(await runtime_stack.running(await key_of(alice, nb))) == 1
    assert (await alice.get(f"/api/notebooks/{nb}")).json()["status"] == "healthy"


async def test_an_orphan_unit_is_removed_by_reconcile_after_the_worker_restarts(
    runtime_stack: RuntimeStack,
) -> None:
    """A unit and a network labelled for a notebook without a row (its row went while no
    worker ran): the restarted worker's reconcile removes both, and nothing else. Once per
    runtime, the same assertions."""
    stack = runtime_stack.stack
    alice, _feed, nb = await healthy_notebook(stack, stack.feed)
    orphan = new_key()
    await runtime_stack.make_orphan(orphan)
    assert await runtime_stack.leftovers(orphan) != []
    await stack.restart_worker()  # reconcile runs when the watcher starts
    for _ in range(600):  # two minutes: the new worker first imports the app
        if await runtime_stack.leftovers(orphan) == []:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError(f"survived reconcile: {await runtime_stack.leftovers(orphan)}")
    key = await key_of(alice, nb)
    assert len(await runtime_stack.running(key)) == 1, "the real notebook is untouched"


async def test_a_container_named_after_an_id_is_removed_by_reconcile(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    """One engine only: a container named and labelled after an id, as before keys."""
    alice, _feed, nb = await healthy_notebook(stack, feed_for)
    instance = stack.settings.instance
    orphan = await docker.containers.create(
        {
            "Image": TEST_IMAGE,
            "Env": ["JUPYTER_TOKEN=x"],
            "Labels": {"workspace.instance": instance, "workspace.notebook_id": "999999"},
        },
        name=f"{instance}-nb-999999",
    )
    await stack.restart_worker()  # reconcile runs when the watcher starts
    # Polls of 0.2 s for up to two minutes: the new worker first imports the app.
    for _ in range(600):
        try:
            await docker.containers.get(orphan.id)
        except aiodocker.DockerError:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError("the container named after an id survived reconcile")
    assert len(await ours(docker, await key_of(alice, nb))) == 1, "the real notebook is untouched"


async def test_database_connections_cut_the_watcher_reconnects_and_nothing_is_missed(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    """PostgreSQL drops every connection (a restart, a failover): the watcher's own
    connection is gone when the next Docker event comes. It reconnects and reconcile
    records what happened meanwhile."""
    alice, feed, nb = await healthy_notebook(stack, feed_for)
    url = make_url(stack.settings.sqlalchemy_url)
    admin = await asyncpg.connect(database_url("postgres"))
    try:
        cut = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            url.database,
        )
    finally:
        await admin.close()
    assert cut > 0
    (info,) = await ours(docker, await key_of(alice, nb))
    await docker.containers.container(info["Id"]).kill()
    event = await feed.wait_status(nb, "stopped", timeout=20)
    # Recorded by reconcile after the reconnect: the event itself met the dead connection.
    assert event["data"]["status_reason"] == "exited while WorkSpace was not watching"
    assert (await alice.get(f"/api/notebooks/{nb}")).json()["status"] == "stopped"
    # Said for what it is: not a Docker outage.
    assert "watcher: database unavailable" in stack.worker.output()
    # And the watcher follows Docker again: a start goes all the way to healthy.
    before = len(feed.messages)
    assert (await alice.post(f"/api/notebooks/{nb}/start")).status_code == 202
    await feed.wait_for(
        lambda m: m in feed.messages[before:] and m.get("data", {}).get("status") == "healthy"
    )
