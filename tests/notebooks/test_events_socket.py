"""`/api/events` over a real server: who may connect, and what a new client receives."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import websockets

from tests.stack import TEST_IMAGE, EventFeed, Stack


async def test_without_credentials_or_from_a_foreign_origin_the_socket_is_refused(
    stack: Stack,
) -> None:
    alice = await stack.user("alice")
    with pytest.raises(websockets.InvalidStatus):
        await websockets.connect(stack.ws_url)  # no session, no token
    with pytest.raises(websockets.InvalidStatus):
        await websockets.connect(
            stack.ws_url,
            origin=websockets.Origin("https://evil.example"),
            additional_headers={"Authorization": alice.headers["Authorization"]},
        )


async def test_snapshot_on_connect_carries_the_users_notebooks(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice, bob = await stack.user("alice"), await stack.user("bob")
    feed: EventFeed = await feed_for(alice)
    nb = (await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})).json()
    await feed.wait_status(nb["id"], "healthy")
    async with websockets.connect(
        stack.ws_url, additional_headers={"Authorization": alice.headers["Authorization"]}
    ) as late:
        snapshot = json.loads(await late.recv())
    assert snapshot["type"] == "snapshot"
    (row,) = snapshot["notebooks"]
    assert row["id"] == nb["id"] and row["status"] == "healthy" and row["version"] > 1
    assert "jupyter_token" not in row
    async with websockets.connect(
        stack.ws_url, additional_headers={"Authorization": bob.headers["Authorization"]}
    ) as other:
        assert json.loads(await other.recv()) == {"type": "snapshot", "notebooks": []}


async def test_events_are_sent_uncompressed_even_to_clients_that_offer_compression(
    stack: Stack,
) -> None:
    """Deflating would cost once per event per connection (bench/README.md); a browser
    offers it, as the `websockets` client does by default."""
    alice = await stack.user("alice")
    async with websockets.connect(
        stack.ws_url, additional_headers={"Authorization": alice.headers["Authorization"]}
    ) as connection:
        assert connection.request is not None and connection.response is not None
        assert "permessage-deflate" in connection.request.headers["Sec-WebSocket-Extensions"]
        assert "Sec-WebSocket-Extensions" not in connection.response.headers
        assert json.loads(await connection.recv())["type"] == "snapshot"
