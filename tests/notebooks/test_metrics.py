"""/metrics on the real stack (api and worker processes sharing a multiprocess directory):
an admin's token gets it, others 403; after a spawn the spawn histogram, job durations,
event-to-publish times, request latencies, WebSocket clients and notebook counts are there,
parsed as Prometheus text; the worker's own address serves it without credentials."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiodocker
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.core import notebook_origin
from app.core.config import Settings
from tests.notebooks.test_lifecycle import ours
from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.processes import free_port
from tests.support.stack import Stack

METRICS_PORT = free_port()


@pytest.fixture
def stack_settings(
    stack_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    # Set before the stack's processes start: they inherit it.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    (tmp_path / "metrics").mkdir()
    return stack_settings.model_copy(update={"metrics_address": f"127.0.0.1:{METRICS_PORT}"})


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_after_a_spawn(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    admin = await stack.user("root", admin=True)
    feed: EventFeed = await feed_for(alice)
    nb = (await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})).json()
    await feed.wait_status(nb["id"], "healthy")

    assert (await alice.get("/metrics")).status_code == 403
    async with httpx.AsyncClient(base_url=stack.base_url) as anonymous:
        assert (await anonymous.get("/metrics")).status_code == 401
    r = await admin.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    got = samples(r.text)
    assert all(name.startswith("workspace_") for name, _ in got if not name.startswith("python"))
    for phase in ("create", "start", "ready"):
        assert got[("workspace_spawn_phase_seconds_count", (("phase", phase),))] >= 1
    assert got[("workspace_notebooks", (("status", "healthy"),))] == 1
    assert got[("workspace_websocket_clients", ())] == 1
    assert got[("workspace_queue_depth", ())] >= 0

    def jobs_done() -> float:
        return sum(v for (n, _), v in got.items() if n == "workspace_job_duration_seconds_count")

    # The start's job ends after `healthy`: it makes the next spare network first.
    for _ in range(100):
        if jobs_done() >= 1:
            break
        await asyncio.sleep(0.1)
        got = samples((await admin.get("/metrics")).text)
    assert jobs_done() >= 1

    def routes() -> set[str]:
        return {
            dict(labels)["route"]
            for n, labels in got
            if n == "workspace_http_request_duration_seconds_count"
        }

    assert "/api/notebooks" in routes()
    assert not [route for route in routes() if re.search(r"/\d+(/|$)", route)], "ids in labels"
    # Jupyter's own paths through the proxy count as the notebook origin's, under no route of
    # the api's (its `/api/status` is not WorkSpace's `/api/status`).
    jupyter = stack.notebook_client(nb["key"], alice)
    status = notebook_origin.base_path(stack.settings, nb["key"]) + "api/status"
    assert (await jupyter.get(status)).status_code == 200
    got = samples((await admin.get("/metrics")).text)
    assert "notebook origin" in routes()

    # A Docker event the watcher publishes: the container dies outside WorkSpace.
    (info,) = await ours(docker, nb["key"])
    await docker.containers.container(info["Id"]).kill()
    await feed.wait_status(nb["id"], "stopped")
    async with httpx.AsyncClient() as scraper:  # the worker's address: no credentials
        r = await scraper.get(f"http://127.0.0.1:{METRICS_PORT}/metrics")
    assert r.status_code == 200
    got = samples(r.text)
    assert got[("workspace_notebooks", (("status", "stopped"),))] == 1
    assert got[("workspace_docker_event_publish_seconds_count", ())] >= 1
