"""The worker loses Docker (as in an engine restart): it says so, reconnects, and reconcile
fixes what changed while it was not watching: a notebook that went down meanwhile is
started again, as after an engine restart (worker/engine_restart.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiodocker
import httpx
import pytest

from app.core.config import Settings
from tests.notebooks.test_lifecycle import key_of, ours
from tests.support.docker_outage import DockerOutage
from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack
from worker.engine_restart import REASON


@pytest.fixture
async def outage(tmp_path: Path) -> AsyncIterator[DockerOutage]:
    pipe = DockerOutage(tmp_path / "docker.sock")
    await pipe.open()
    yield pipe
    await pipe.cut()


@pytest.fixture
def stack_settings(stack_settings: Settings, outage: DockerOutage) -> Settings:
    return stack_settings.model_copy(update={"docker_url": outage.url})


async def options(client: httpx.AsyncClient) -> dict[str, Any]:
    result: dict[str, Any] = (await client.get("/api/notebooks/options")).json()
    return result


async def test_outage_is_reported_then_reconcile_fixes_rows(
    stack: Stack, docker: aiodocker.Docker, outage: DockerOutage, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    nb = (await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})).json()[
        "id"
    ]
    await feed.wait_status(nb, "healthy")

    await outage.cut()
    (info,) = await ours(docker, await key_of(alice, nb))
    await docker.containers.container(info["Id"]).kill()  # dies while nobody watches
    for _ in range(100):
        if not (await options(alice))["docker_available"]:
            break
        await asyncio.sleep(0.1)
    state = await options(alice)
    assert state["docker_available"] is False and state["docker_error"]
    refused = await alice.post("/api/notebooks", json={"name": "other", "image": TEST_IMAGE})
    assert refused.status_code == 503
    assert "unavailable" in refused.json()["detail"]
    # The rest of WorkSpace keeps working.
    assert (await alice.get("/api/notebooks")).status_code == 200

    seen = len(feed.messages)
    await outage.open()
    event = await feed.wait_for(
        lambda m: (
            m in feed.messages[seen:] and m.get("id") == nb and m["data"]["status"] == "healthy"
        ),
        timeout=60,
    )
    assert event["data"]["status_reason"] == REASON
    assert event["data"]["desired_state"] == "running"
    (info_after,) = await ours(docker, await key_of(alice, nb))
    assert info_after["Id"] != info["Id"] and info_after["State"] == "running"
    assert (await options(alice))["docker_available"] is True
