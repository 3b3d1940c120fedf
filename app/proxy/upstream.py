"""The proxy's upstream HTTP/1.1 client: one keep-alive pool, bodies streamed both ways.

Why not httpx here: an `httpx.AsyncClient` keeps a cookie jar, which in a proxy shared by
every user would store the cookies Jupyter sets and replay them on later requests; and
httpx with httpcore (anyio streams, pure-Python h11) spent about as much CPU per request
as Jupyter's own `GET /api/status` handler (profiled under bench/proxy.py, which prints
the api's CPU per proxied request). This is an asyncio
protocol around httptools' C parser (uvicorn's own): no cookies, no redirects, no
decoding, just the bytes, with flow control in both directions.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator
from typing import cast

import httptools

CONNECT_TIMEOUT = 5.0
IDLE_SECONDS = 30.0  # an idle keep-alive connection is dropped after this
MAX_IDLE_PER_HOST = 32
# Reading pauses while this much of a response waits for a slow browser.
_HIGH_WATER = 1024 * 1024
_LOW_WATER = 256 * 1024


class UpstreamError(Exception):
    """The upstream connection failed or broke."""


class ConnectFailed(UpstreamError):
    """Nothing accepted the connection (the notebook is stopped or restarting)."""


class _Connection(asyncio.Protocol):
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

    def on_headers_complete(self) -> None:
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


class UpstreamResponse:
    def __init__(self, pool: UpstreamPool, connection: _Connection, *, head: bool) -> None:
        self.pool = pool
        self.connection = connection
        self.status = connection.status
        self.headers = connection.headers
        self.head = head

    async def body(self) -> AsyncIterator[bytes]:
        if self.head:
            return
        async for chunk in self.connection.body():
            yield chunk

    async def aclose(self) -> None:
        """Give the connection back when the response was read to its end, else drop it."""
        connection = self.connection
        if connection.complete and connection.keep_alive and not self.head:
            self.pool.release(connection)
        else:
            connection.close()


class UpstreamPool:
    """Keep-alive connections per (host, port), reused most recent first."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, int], deque[_Connection]] = {}

    async def request(
        self,
        host: str,
        port: int,
        head: bytes,
        body: AsyncIterable[bytes] | None,
        *,
        chunked: bool,
        method_head: bool = False,
        idempotent: bool = False,
    ) -> UpstreamResponse:
        """Send a request (`head` is the request line and headers, CRLF-terminated) and
        return once the response's headers have arrived."""
        key = (host, port)
        connection = self._take_idle(key)
        if connection is not None and body is None and idempotent:
            try:
                return await self._exchange(connection, head, None, chunked, method_head)
            except UpstreamError:
                # A kept-alive connection the server dropped just now: once more, fresh.
                if connection.received_any:
                    raise
        elif connection is not None:
            return await self._exchange(connection, head, body, chunked, method_head)
        connection = await self._connect(key)
        try:
            return await self._exchange(connection, head, body, chunked, method_head)
        except UpstreamError as exc:
            if connection.received_any:
                raise
            # Docker's port forwarder accepts while the container's server is not up yet,
            # then hangs up: for the caller that is "not answering", like a refused connect.
            raise ConnectFailed(f"Jupyter closed the connection without answering: {exc}") from exc

    async def _exchange(
        self,
        connection: _Connection,
        head: bytes,
        body: AsyncIterable[bytes] | None,
        chunked: bool,
        method_head: bool,
    ) -> UpstreamResponse:
        connection._reset()
        try:
            await connection.write(head)
            if body is not None:
                async for chunk in body:
                    if chunked:
                        await connection.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
                    else:
                        await connection.write(chunk)
                if chunked:
                    await connection.write(b"0\r\n\r\n")
            await connection.head_done
        except BaseException:
            connection.close()
            raise
        return UpstreamResponse(self, connection, head=method_head)

    async def _connect(self, key: tuple[str, int]) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(lambda: _Connection(key), key[0], key[1]),
                CONNECT_TIMEOUT,
            )
        except (OSError, TimeoutError) as exc:
            raise ConnectFailed(f"cannot connect to {key[0]}:{key[1]}: {exc}") from exc
        return connection

    def _take_idle(self, key: tuple[str, int]) -> _Connection | None:
        idle = self._idle.get(key)
        if not idle:
            return None
        now = time.monotonic()
        while idle and (idle[0].closed or now - idle[0].idle_since >= IDLE_SECONDS):
            idle.popleft().close()
        while idle:
            connection = idle.pop()
            if not connection.closed:
                return connection
        return None

    def release(self, connection: _Connection) -> None:
        if connection.closed:
            return
        idle = self._idle.setdefault(connection.key, deque())
        if len(idle) >= MAX_IDLE_PER_HOST:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        idle.append(connection)

    async def aclose(self) -> None:
        for idle in self._idle.values():
            while idle:
                idle.pop().close()
        self._idle.clear()
        await asyncio.sleep(0)  # let the transports finish closing
