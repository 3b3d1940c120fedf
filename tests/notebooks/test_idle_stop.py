"""Idle stop with a short timeout: an idle notebook stops, saying why; a busy one does not."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import websockets

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.models.notebook import Notebook
from tests.support.environment import JUPYTER_IMAGE, TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack

SHORT = 0.05  # minutes: 3 s


@pytest.fixture
def stack_settings(stack_settings: Settings) -> Settings:
    return stack_settings.model_copy(update={"notebook_idle_check_seconds": 1.0})


async def start_long_cell(stack: Stack, notebook_id: int) -> None:
    engine = make_engine(stack.settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        row = await db.get(Notebook, notebook_id)
        assert row is not None
        port, token = row.host_port, row.jupyter_token
    await engine.dispose()
    base = f"127.0.0.1:{port}/"  # Jupyter at the root: the notebook has an origin of its own
    headers = {"Authorization": f"token {token}"}
    async with httpx.AsyncClient(headers=headers) as jupyter:
        kernel = (await jupyter.post(f"http://{base}api/kernels", json={})).json()
    ws = await websockets.connect(
        f"ws://{base}api/kernels/{kernel['id']}/channels", additional_headers=headers
    )
    await ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": uuid.uuid4().hex,
                    "msg_type": "execute_request",
                    "username": "t",
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "buffers": [],
                "content": {"code": "import time; time.sleep(120)", "silent": False},
            }
        )
    )
    # Wait until the kernel reports busy; then the socket may close, the cell keeps running.
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "busy":
            break
    await ws.close()


async def test_idle_notebook_stops_with_reason_busy_one_keeps_running(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    busy = (
        await alice.post(
            "/api/notebooks",
            json={
                "name": "busy",
                "image": JUPYTER_IMAGE,
                "memory_mb": 512,
                "idle_timeout_minutes": 0,
            },
        )
    ).json()["id"]
    await feed.wait_status(busy, "healthy", timeout=120)
    await start_long_cell(stack, busy)
    # Only now give it the short timeout, so it cannot go idle before its cell runs.
    assert (
        await alice.patch(f"/api/notebooks/{busy}", json={"idle_timeout_minutes": SHORT})
    ).status_code == 200
    idle = (
        await alice.post(
            "/api/notebooks",
            json={
                "name": "idle",
                "image": TEST_IMAGE,
                "idle_timeout_minutes": SHORT,
            },
        )
    ).json()["id"]
    await feed.wait_status(idle, "healthy")

    event = await feed.wait_status(idle, "stopped", timeout=30)
    assert event["data"]["status_reason"].startswith("stopped: idle for")
    await asyncio.sleep(4)  # several more idle checks
    row = (await alice.get(f"/api/notebooks/{busy}")).json()
    assert row["status"] == "healthy" and row["desired_state"] == "running"
