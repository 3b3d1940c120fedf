"""Disabling a user, on the real stack: their open WebSocket is closed at once, their
notebooks stop (their containers go), and their token stops working."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiodocker
import pytest
import websockets

from tests.notebooks.test_lifecycle import ours
from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack


async def test_disabling_closes_the_feed_and_stops_the_notebooks(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    admin = await stack.user("root", admin=True)

    feed: EventFeed = await feed_for(alice)
    nb = (await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})).json()
    await feed.wait_status(nb["id"], "healthy")
    assert len(await ours(docker, nb["key"])) == 1
    alice_id = next(
        u["id"]
        for u in (await admin.get("/api/admin/users")).json()["data"]
        if u["username"] == "alice"
    )

    r = await admin.patch(f"/api/admin/users/{alice_id}", json={"disabled": True})
    assert r.status_code == 200, r.text
    # The feed is closed by the server (the reader ends), within moments.
    await asyncio.wait_for(feed.closed(), 10)
    assert isinstance(feed.connection.close_code, int)
    assert (await alice.get("/api/me")).status_code == 401
    # A new feed is refused at its handshake.
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(
            stack.ws_url, additional_headers={"Authorization": alice.headers["Authorization"]}
        )
    assert refused.value.response.status_code == 403
    # Their notebook stops: desired stopped, container gone.
    for _ in range(300):
        rows = (await admin.get("/api/admin/notebooks")).json()["data"]
        (row,) = [n for n in rows if n["id"] == nb["id"]]
        if row["status"] == "stopped" and not await ours(docker, nb["key"]):
            break
        await asyncio.sleep(0.2)
    assert (row["status"], row["desired_state"]) == ("stopped", "stopped")
    assert row["status_reason"] == "stopped: the account was disabled"
    assert await ours(docker, nb["key"]) == []
