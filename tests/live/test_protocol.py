"""The feed's uvicorn protocol class against the uvicorn it is pinned to.

`FeedWebSocketProtocol` reads attributes of uvicorn's sans-io WebSocket protocol
(`close_sent`, `conn`, `transport`, `writable`, `scope`). These tests run it in a real
uvicorn server with a real WebSocket client, so a uvicorn that renames or drops one of them
fails here, not in production.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
import websockets
from starlette.types import Receive, Scope, Send

from app.live.protocol import FeedWebSocketProtocol, encode_text_frame, frame_writer
from tests.support.processes import free_port

RELIED_ON = ("close_sent", "conn", "transport", "writable", "scope")


class Probe:
    """An ASGI app that writes frames directly, and reports what the server offered it."""

    def __init__(self) -> None:
        self.attributes: dict[str, bool] = {}
        self.wrote_after_close: bool | None = None
        self.closed = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        write = frame_writer(scope)
        assert write is not None, "the protocol class offered no frame writer"
        protocol = write.__self__  # type: ignore[attr-defined]
        self.attributes = {name: hasattr(protocol, name) for name in RELIED_ON}
        assert write(encode_text_frame("first"))
        assert write(encode_text_frame("second"))
        message = await receive()  # the client closes
        assert message["type"] == "websocket.disconnect"
        self.wrote_after_close = write(encode_text_frame("too late"))
        self.closed.set()


@pytest.fixture
async def served() -> AsyncIterator[tuple[Probe, str]]:
    probe = Probe()
    port = free_port()
    config = uvicorn.Config(
        probe, host="127.0.0.1", port=port, ws=FeedWebSocketProtocol, log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  (uvicorn offers a flag, not an event)
        await asyncio.sleep(0.01)
    yield probe, f"ws://127.0.0.1:{port}/"
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)


async def test_frames_written_directly_reach_the_client_in_order(
    served: tuple[Probe, str],
) -> None:
    probe, url = served
    async with websockets.connect(url) as client:
        received: list[Any] = [await client.recv(), await client.recv()]
    assert received == ["first", "second"]
    await asyncio.wait_for(probe.closed.wait(), 10)
    assert probe.attributes == dict.fromkeys(RELIED_ON, True)
    # A closed connection refuses the frame instead of writing to a dead socket.
    assert probe.wrote_after_close is False
