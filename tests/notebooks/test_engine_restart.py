"""The Docker engine restarts under running notebooks (killed, or stopped cleanly): those
that were running come back healthy by themselves, saying why; one its user had stopped
stays stopped; the worker and its watcher carry on (a new notebook starts afterwards).

The engine is a second dockerd of the test's own (tests/support/second_engine.py), never
the host's, which other test runs share.
"""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiodocker
import pytest

from app.core.config import Settings
from tests.support import host_guard
from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.second_engine import SecondEngine
from tests.support.stack import Stack, remove_instance_resources
from worker.engine_restart import REASON


@pytest.fixture(scope="module")
async def engine() -> AsyncIterator[SecondEngine]:
    before = host_guard.snapshot()
    second = SecondEngine()
    try:
        await second.setup([TEST_IMAGE])
        yield second
    finally:
        await second.teardown()
    # Restarting a dockerd in the host's network namespace can take the host's docker0.
    found = host_guard.problems(before)
    assert not found, found


@pytest.fixture
async def docker(engine: SecondEngine, instance: str) -> AsyncIterator[aiodocker.Docker]:
    client = engine.client()
    await remove_instance_resources(client, instance)
    yield client
    await remove_instance_resources(client, instance)
    await client.close()


@pytest.fixture
def stack_settings(stack_settings: Settings, engine: SecondEngine) -> Settings:
    return stack_settings.model_copy(update={"docker_url": engine.url})


async def notebook(client: Any, notebook_id: int) -> dict[str, Any]:
    result: dict[str, Any] = (await client.get(f"/api/notebooks/{notebook_id}")).json()
    return result


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["killed", "stopped"])
async def test_running_notebooks_come_back_after_an_engine_restart(
    how: signal.Signals,
    engine: SecondEngine,
    stack: Stack,
    feed_for: Callable[..., Any],
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    made = [
        (await alice.post("/api/notebooks", json={"name": name, "image": TEST_IMAGE})).json()["id"]
        for name in ("running", "stopped")
    ]
    running, stopped = made
    for nb in made:
        await feed.wait_status(nb, "healthy")
    assert (await alice.post(f"/api/notebooks/{stopped}/stop")).status_code == 202
    await feed.wait_status(stopped, "stopped")
    before = await notebook(alice, running)
    seen = len(feed.messages)

    await engine.stop(how)
    await engine.start()

    def came_back(m: dict[str, Any]) -> bool:
        return (
            m in feed.messages[seen:]
            and m.get("id") == running
            and m["data"]["status"] == "healthy"
            and m["data"]["version"] > before["version"]
        )

    await feed.wait_for(came_back, timeout=120)
    after = await notebook(alice, running)
    assert after["desired_state"] == "running"
    assert after["status_reason"] == REASON
    statuses = [m["data"]["status"] for m in feed.messages[seen:] if m.get("id") == running]
    assert "pending" in statuses and statuses[-1] == "healthy", statuses
    # The user's stop holds: no container, still stopped.
    assert (await notebook(alice, stopped))["status"] == "stopped"
    assert (await notebook(alice, stopped))["desired_state"] == "stopped"

    # The worker and its watcher carry on.
    third = await alice.post("/api/notebooks", json={"name": "after", "image": TEST_IMAGE})
    assert third.status_code == 202, third.text
    await feed.wait_status(third.json()["id"], "healthy")
    assert (await notebook(alice, stopped))["status"] == "stopped"
