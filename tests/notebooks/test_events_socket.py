"""`/api/events` over a real server: who may connect, and what a new client receives."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import websockets
from redis.asyncio import Redis

from app.live.events import Event, publish
from tests.support.environment import REDIS_TEST_URL, TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.processes import api_service, free_port, wait_http
from tests.support.stack import Stack


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
    """Deflating would cost once per event per connection; a browser offers it, as the
    `websockets` client does by default."""
    alice = await stack.user("alice")
    async with websockets.connect(
        stack.ws_url, additional_headers={"Authorization": alice.headers["Authorization"]}
    ) as connection:
        assert connection.request is not None and connection.response is not None
        assert "permessage-deflate" in connection.request.headers["Sec-WebSocket-Extensions"]
        assert "Sec-WebSocket-Extensions" not in connection.response.headers
        assert json.loads(await connection.recv())["type"] == "snapshot"


async def test_a_client_that_stops_reading_is_dropped_and_the_others_get_everything(
    stack: Stack,
) -> None:
    """Frames go straight to each socket (app/websocket_protocol.py), so falling behind
    means that socket's buffers are full: that client is dropped, and another tab of the
    same user receives every event, in order."""
    alice = await stack.user("alice")
    me = (await alice.get("/api/me")).json()["id"]
    auth = {"Authorization": alice.headers["Authorization"]}
    count, pad = 300, "x" * 50_000  # 15 MB: more than the stalled socket's buffers hold
    stalled_socket = socket.create_connection(("127.0.0.1", urlsplit(stack.base_url).port))
    stalled_socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    async with (
        websockets.connect(stack.ws_url, additional_headers=auth, max_size=None) as reader,
        websockets.connect(
            stack.ws_url, additional_headers=auth, sock=stalled_socket, max_queue=1
        ) as stalled,
    ):
        assert json.loads(await reader.recv())["type"] == "snapshot"
        assert json.loads(await stalled.recv())["type"] == "snapshot"

        async def read_all() -> list[int]:
            return [json.loads(await reader.recv())["id"] for _ in range(count)]

        reading = asyncio.create_task(read_all())
        for i in range(count):
            event = Event(user_id=me, topic="todo", action="updated", id=i, data={"pad": pad})
            await publish(redis, event)
        assert await asyncio.wait_for(reading, 30) == list(range(count))

        got = 0
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(stalled.recv(), 10)
                got += 1
        assert got < count, "the stalled client was never dropped"
        # The close frame itself waits at most CLOSE_TIMEOUT_SECONDS for room in the buffer.
        assert closed.value.rcvd is None or closed.value.rcvd.code == 1013
    await redis.aclose()


async def test_under_plain_uvicorn_the_feed_sends_through_asgi(stack: Stack) -> None:
    """Without our protocol class there is no frame writer: the mailbox and its pump."""
    alice = await stack.user("alice")
    me = (await alice.get("/api/me")).json()["id"]
    port = free_port()
    plain = api_service(stack.settings, port, ws="websockets-sansio")
    await plain.start()
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    try:
        await wait_http(f"http://127.0.0.1:{port}/api/health")
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/api/events",
            additional_headers={"Authorization": alice.headers["Authorization"]},
        ) as connection:
            assert json.loads(await connection.recv())["type"] == "snapshot"
            for i in range(3):
                await publish(redis, Event(user_id=me, topic="todo", action="deleted", id=i))
            received = [json.loads(await connection.recv()) for _ in range(3)]
        assert [(m["type"], m["id"]) for m in received] == [("event", i) for i in range(3)]
    finally:
        await redis.aclose()
        await plain.stop()
