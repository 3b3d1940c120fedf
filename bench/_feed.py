"""The benches' client of `/api/events`: a bare RFC 6455 protocol on the event loop, which
stamps each message when its bytes arrive (before any parsing)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import struct
import time
from collections.abc import Callable
from typing import Any, cast


class FeedClosed(Exception):
    pass


Hook = Callable[["Feed", int, bytes], None]


class Feed(asyncio.Protocol):
    """A minimal RFC 6455 client of `/api/events`, built on a bare asyncio protocol.

    Each text message is stamped with `time.time_ns()` the moment its bytes reach
    `data_received`, before any parsing, so what is measured is the server's delivery,
    not this client's own per-message overhead (which matters with 1,000 clients in one
    process). Pings are answered; nothing else is sent.
    """

    def __init__(self, hook: Hook | None = None) -> None:
        self.hook = hook
        self.history: list[tuple[int, bytes]] = []
        self.mark: int | None = None  # free for a bench's per-cycle bookkeeping
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        self._fragments: list[bytes] = []
        self._upgraded = False
        self._key = base64.b64encode(os.urandom(16)).decode()
        loop = asyncio.get_running_loop()
        self.handshake: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self._changed = asyncio.Event()

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is no subclass

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.handshake.done():
            self.handshake.set_exception(FeedClosed(f"connection lost: {exc}"))
        if not self.closed.done():
            self.closed.set_result(None)
        self._changed.set()

    def data_received(self, data: bytes) -> None:
        now = time.time_ns()
        self._buffer += data
        if not self._upgraded:
            head, sep, rest = self._buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            self._buffer = rest
            self._check_upgrade(head)
        self._parse_frames(now)

    # -- protocol details

    def _check_upgrade(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        accept = base64.b64encode(
            hashlib.sha1((self._key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
        ).decode()
        refused = None
        if " 101 " not in lines[0] + " " or headers.get("sec-websocket-accept") != accept:
            refused = f"handshake refused: {lines[0]}"
        elif "sec-websocket-extensions" in headers:
            refused = (
                f"the server compresses every message ({headers['sec-websocket-extensions']}),"
                " which this client does not read: run uvicorn with --ws-per-message-deflate"
                " false, as WorkSpace does"
            )
        if refused is not None:
            self.handshake.set_exception(FeedClosed(refused))
            assert self._transport is not None
            self._transport.close()
            return
        self._upgraded = True
        self.handshake.set_result(None)

    def _parse_frames(self, now: int) -> None:
        buf = self._buffer
        pos = 0
        while len(buf) - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length = b1 & 0x7F
            header = 2
            if length == 126:
                if len(buf) - pos < 4:
                    break
                (length,) = struct.unpack_from("!H", buf, pos + 2)
                header = 4
            elif length == 127:
                if len(buf) - pos < 10:
                    break
                (length,) = struct.unpack_from("!Q", buf, pos + 2)
                header = 10
            if len(buf) - pos < header + length:
                break
            payload = buf[pos + header : pos + header + length]
            pos += header + length
            self._on_frame(now, b0 & 0x80 != 0, b0 & 0x0F, payload)
        self._buffer = buf[pos:]

    def _on_frame(self, now: int, fin: bool, opcode: int, payload: bytes) -> None:
        if opcode in (0x1, 0x0):  # text, or a continuation of one
            self._fragments.append(payload)
            if fin:
                message = b"".join(self._fragments)
                self._fragments.clear()
                self.history.append((now, message))
                if self.hook is not None:
                    self.hook(self, now, message)
                self._changed.set()
        elif opcode == 0x9:  # ping
            self._send(0xA, payload)
        elif opcode == 0x8:  # close
            self._send(0x8, payload[:2])
            assert self._transport is not None
            self._transport.close()

    def _send(self, opcode: int, payload: bytes) -> None:
        if self._transport is None or self._transport.is_closing():
            return
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert len(payload) < 126
        self._transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    # -- bench API

    async def wait_for(
        self, predicate: Callable[[dict[str, Any]], bool], *, start: int = 0, timeout: float
    ) -> tuple[int, dict[str, Any]]:
        """The first message from history[start:] matching `predicate`: (time_ns, message)."""

        async def find() -> tuple[int, dict[str, Any]]:
            seen = start
            while True:
                for stamp, raw in self.history[seen:]:
                    message = json.loads(raw)
                    if predicate(message):
                        return stamp, message
                seen = len(self.history)
                if self.closed.done():
                    raise FeedClosed("the feed closed")
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(find(), timeout)

    def close(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._send(0x8, struct.pack("!H", 1000))
            self._transport.close()


async def open_feed(port: int, token: str, hook: Hook | None = None) -> Feed:
    """Connect to /api/events with an API token and wait for the snapshot."""
    loop = asyncio.get_running_loop()
    _, feed = await loop.create_connection(lambda: Feed(hook), "127.0.0.1", port)
    assert feed._transport is not None
    feed._transport.write(
        (
            "GET /api/events HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {feed._key}\r\nSec-WebSocket-Version: 13\r\n"
            # What Chromium offers: a server that accepts deflates each event per client.
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    try:
        await asyncio.wait_for(feed.handshake, 30)
        await feed.wait_for(lambda m: m.get("type") == "snapshot", timeout=30)
    except BaseException:
        feed.close()
        raise
    return feed


def notebook_event(message: dict[str, Any], notebook_id: int, *statuses: str) -> bool:
    return (
        message.get("type") == "event"
        and message.get("topic") == "notebook"
        and message.get("id") == notebook_id
        and (not statuses or message["data"]["status"] in statuses)
    )
