"""A notebook's identity is never reused: no later notebook of any user gets a deleted one's
volume or job, on either database, not even after the database is made anew beside the
same Docker volumes; and a volume labelled for someone else is never mounted."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiodocker
import httpx
import pytest
from arq import create_pool
from arq.jobs import Job
from sqlalchemy import make_url

from app.core.queue import deserialize, redis_settings
from tests.notebooks.inside import in_volume, run_inside
from tests.notebooks.test_lifecycle import ours, volume_exists
from tests.support.databases import fresh_database
from tests.support.environment import INSTANCE, REDIS_TEST_URL, TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack

pytestmark = pytest.mark.usefixtures("backend")
SECRET = "/home/jovyan/work/secret.txt"


async def healthy(client: httpx.AsyncClient, feed: EventFeed, name: str = "lab") -> dict[str, Any]:
    r = await client.post("/api/notebooks", json={"name": name, "image": TEST_IMAGE})
    assert r.status_code == 202, r.text
    notebook: dict[str, Any] = r.json()
    await feed.wait_status(notebook["id"], "healthy")
    return notebook


async def delete_and_wait_until_gone(
    client: httpx.AsyncClient, feed: EventFeed, notebook: dict[str, Any]
) -> None:
    assert (await client.delete(f"/api/notebooks/{notebook['id']}")).status_code == 202
    await feed.wait_status(notebook["id"], "removed")
    # The job deletes the row right after `removed`: then its id is the highest no more.
    for _ in range(100):
        if (await client.get("/api/notebooks")).json()["count"] == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the deleted notebook's row stayed")


async def the_only_container(docker: aiodocker.Docker, key: str) -> dict[str, Any]:
    (info,) = await ours(docker, key)
    full: dict[str, Any] = await (await docker.containers.get(info["Id"])).show()
    return full


async def assert_sees_no_secret(docker: aiodocker.Docker, notebook: dict[str, Any]) -> None:
    """Inside the notebook, as its code would: the deleted notebook's file is not there."""
    container = await the_only_container(docker, notebook["key"])
    code, output = await run_inside(docker, container["Id"], "cat", SECRET)
    assert code != 0 and "alice-secret" not in output, output
    mounted = [m["Name"] for m in container["Mounts"]]
    assert mounted == [f"{INSTANCE}-nb-{notebook['key']}"], mounted


async def recreate_database(stack: Stack, sqlite_template: Path) -> None:
    url = make_url(stack.settings.sqlalchemy_url)
    if url.get_backend_name() == "sqlite":
        assert url.database
        for suffix in ("-wal", "-shm"):
            await asyncio.to_thread(Path(url.database + suffix).unlink, missing_ok=True)
        await asyncio.to_thread(shutil.copyfile, sqlite_template, url.database)
    else:
        assert url.database
        await fresh_database(url.database)


async def test_a_deleted_notebooks_kept_volume_reaches_no_later_notebook(
    stack: Stack,
    docker: aiodocker.Docker,
    feed_for: Callable[..., Any],
    sqlite_template: Path,
) -> None:
    alice, bob = await stack.user("alice"), await stack.user("bob")
    alice_feed: EventFeed = await feed_for(alice)
    bob_feed: EventFeed = await feed_for(bob)
    first = await healthy(alice, alice_feed)
    container = await the_only_container(docker, first["key"])
    code, output = await run_inside(
        docker, container["Id"], "sh", "-c", f"echo alice-secret > {SECRET}"
    )
    assert code == 0, output
    await delete_and_wait_until_gone(alice, alice_feed, first)  # the volume is kept
    assert await volume_exists(docker, first["key"])

    # The next notebook, another user's: a new id (SQLite hands out a deleted highest id
    # again unless told not to), and in any case its own volume.
    second = await healthy(bob, bob_feed)
    assert second["id"] != first["id"]
    assert second["key"] != first["key"]
    await assert_sees_no_secret(docker, second)

    # The database made anew (a reinstall, a restore) beside the same Docker volumes: ids
    # start over, keys do not.
    await stack.restart(lambda: recreate_database(stack, sqlite_template))
    carol = await stack.user("carol")
    carol_feed: EventFeed = await feed_for(carol)
    third = await healthy(carol, carol_feed)
    await assert_sees_no_secret(docker, third)
    kept = await in_volume(
        docker,
        f"{INSTANCE}-nb-{first['key']}",
        f"cat {SECRET}",
        image=TEST_IMAGE,
        instance=INSTANCE,
    )
    assert kept.strip() == "alice-secret", "the kept volume itself is left as it was"


async def test_a_notebook_made_right_after_a_delete_starts_by_its_own_job(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    """Its first job is its own, not taken for the deleted notebook's finished one (arq
    keeps a job id taken for an hour): it is healthy without waiting for reconcile."""
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    first = await healthy(alice, feed)
    await delete_and_wait_until_gone(alice, feed, first)
    asked = datetime.now(UTC)
    second = await healthy(alice, feed)  # same name, same user, right away

    queue = await create_pool(redis_settings(REDIS_TEST_URL), job_deserializer=deserialize)
    try:
        job = Job(f"converge:{second['key']}:1:api", queue, _deserializer=deserialize)
        # Its result is stored just after the job's last event went out.
        assert await job.result(timeout=30, poll_delay=0.05) == "running"
        result = await job.result_info()
        reconcile_jobs = await queue.keys(f"arq:*converge:{second['key']}:*:reconcile-*")
    finally:
        await queue.aclose()
    assert result is not None and result.success
    # arq keeps milliseconds: a job enqueued before the request is another notebook's.
    assert result.enqueue_time >= asked - timedelta(milliseconds=1), "another notebook's job"
    assert reconcile_jobs == []


async def test_a_volume_labelled_for_another_notebook_is_never_mounted(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    notebook = await healthy(alice, feed)
    nb, key = notebook["id"], notebook["key"]
    assert (await alice.post(f"/api/notebooks/{nb}/stop")).status_code == 202
    await feed.wait_status(nb, "stopped")
    # Someone else's volume turns up under its name (made by hand, or by another system).
    name = f"{INSTANCE}-nb-{key}"
    await (await docker.volumes.get(name)).delete()
    foreign = {
        "workspace.instance": INSTANCE,
        "workspace.notebook_key": "0" * 32,
        "workspace.owner": "999",
    }
    await docker.volumes.create({"Name": name, "Labels": foreign})
    look = "ls -A /home/jovyan/work; cat /home/jovyan/work/f"
    made = await in_volume(
        docker,
        name,
        f"echo theirs > /home/jovyan/work/f; {look}",
        image=TEST_IMAGE,
        instance=INSTANCE,
    )
    assert made.split()[-1] == "theirs"

    before = len(feed.messages)
    assert (await alice.post(f"/api/notebooks/{nb}/start")).status_code == 202
    event = await feed.wait_for(
        lambda m: m in feed.messages[before:] and m.get("data", {}).get("status") == "error"
    )
    assert "labelled for another notebook or owner" in event["data"]["status_reason"]
    assert await ours(docker, key) == [], "no container was made on it"
    assert (await (await docker.volumes.get(name)).show())["Labels"] == foreign
    # Nothing was written into it: the same files as its owner left them.
    assert await in_volume(docker, name, look, image=TEST_IMAGE, instance=INSTANCE) == made
