"""One HTTP/1.1 connection from the proxy to a notebook's Jupyter (see app/proxy/upstream.py).

An asyncio protocol around httptools' C parser: the response's head is bounded in size
and, by the pool, in time; the body is handed on as it arrives, with flow control.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from typing import cast

import httptools

# A response's status line and headers: at most this big, and complete within this long of
# the request being sent, or the connection is dropped and the browser gets a 502. A
# notebook is the user's own code, so its server may send anything at all.
MAX_HEAD_BYTES = 64 * 1024
HEAD_TIMEOUT = 120.0
# Reading pauses while this much of a response waits for a slow browser.
_HIGH_WATER = 1024 * 1024
_LOW_WATER = 256 * 1024


class UpstreamError(Exception):
    """The upstream connection failed or broke."""


class ConnectFailed(UpstreamError):
    """Nothing accepted the connection (the notebook is stopped or restarting)."""


class HeadRefused(UpstreamError):
    """The response's head was too large or too slow: not worth a retry."""


class Connection(asyncio.Protocol):
    """One TCP connection to a container; carries one request at a time."""

    def __init__(self, key: tuple[str, int]) -> None:
        self.key = key
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.idle_since = 0.0
        self._writable = asyncio.Event()
        self._writable.set()
        self._reset()

    def _reset(self) -> None:
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.head_bytes = 0  # received while the head was incomplete
        self.header_bytes = 0  # of the headers parsed
        self.head_done: asyncio.Future[None] = self.loop.create_future()
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.complete = False
        self.keep_alive = False
        self.received_any = False
        self.error: BaseException | None = None
        self._wake: asyncio.Future[None] | None = None
        self._paused = False

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        self.received_any = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamError(f"bad response from Jupyter: {exc}"))
            self.close()
            return
        if not self.head_done.done():
            # The parser holds an unfinished header itself: count what it was given.
            self.head_bytes += len(data)
            if self.head_bytes > MAX_HEAD_BYTES:
                self._head_too_large()

    def _head_too_large(self) -> None:
        self._fail(HeadRefused(f"Jupyter's response headers exceed {MAX_HEAD_BYTES} bytes"))
        self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._writable.set()
        if not self.complete:
            self._fail(UpstreamError(f"Jupyter closed the connection ({exc or 'EOF'})"))

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    # -- httptools callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))
        self.header_bytes += len(name) + len(value) + 4

    def on_headers_complete(self) -> None:
        if self.header_bytes > MAX_HEAD_BYTES:
            self._head_too_large()
            return
        self.status = self.parser.get_status_code()
        if not self.head_done.done():
            self.head_done.set_result(None)

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > _HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._notify()

    def on_message_complete(self) -> None:
        self.complete = True
        # Read here: once the message is done the parser has reset its flags.
        self.keep_alive = self.parser.should_keep_alive()
        self._notify()

    # -- the request side

    def _fail(self, error: BaseException) -> None:
        if self.error is None:
            self.error = error
        if not self.head_done.done():
            self.head_done.set_exception(error)
            self.head_done.exception()  # retrieved here; re-raised where awaited
        self._notify()

    def _notify(self) -> None:
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    async def write(self, data: bytes) -> None:
        if self.closed or self.transport is None:
            raise UpstreamError("Jupyter closed the connection")
        self.transport.write(data)
        if not self._writable.is_set():
            await self._writable.wait()
            if self.closed:
                raise UpstreamError("Jupyter closed the connection")

    async def body(self) -> AsyncIterator[bytes]:
        """The response body as it arrives (httptools has removed any chunked framing)."""
        while True:
            if self.chunks:
                chunk = self.chunks.popleft()
                self.buffered -= len(chunk)
                if self._paused and self.buffered < _LOW_WATER and self.transport is not None:
                    self._paused = False
                    self.transport.resume_reading()
                yield chunk
            elif self.complete:
                return
            elif self.error is not None:
                raise self.error
            else:
                self._wake = self.loop.create_future()
                await self._wake

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()
