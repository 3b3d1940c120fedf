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

from app.proxy.connection import HEAD_TIMEOUT, Connection, HeadRefused
from app.proxy.connection import ConnectFailed as ConnectFailed
from app.proxy.connection import UpstreamError as UpstreamError

CONNECT_TIMEOUT = 5.0
IDLE_SECONDS = 30.0  # an idle keep-alive connection is dropped after this
MAX_IDLE_PER_HOST = 32


class UpstreamResponse:
    def __init__(self, pool: UpstreamPool, connection: Connection, *, head: bool) -> None:
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
        self._idle: dict[tuple[str, int], deque[Connection]] = {}

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
            except HeadRefused:
                raise
            except UpstreamError:
                # A kept-alive connection the server dropped just now: once more, fresh.
                if connection.received_any:
                    raise
        elif connection is not None:
            return await self._exchange(connection, head, body, chunked, method_head)
        connection = await self._connect(key)
        try:
            return await self._exchange(connection, head, body, chunked, method_head)
        except HeadRefused:
            raise
        except UpstreamError as exc:
            if connection.received_any:
                raise
            # Docker's port forwarder accepts while the container's server is not up yet,
            # then hangs up: for the caller that is "not answering", like a refused connect.
            raise ConnectFailed(f"Jupyter closed the connection without answering: {exc}") from exc

    async def _exchange(
        self,
        connection: Connection,
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
            try:
                await asyncio.wait_for(asyncio.shield(connection.head_done), HEAD_TIMEOUT)
            except TimeoutError:
                raise HeadRefused(
                    f"Jupyter sent no response headers within {HEAD_TIMEOUT:.0f} s"
                ) from None
        except BaseException:
            connection.close()
            raise
        return UpstreamResponse(self, connection, head=method_head)

    async def _connect(self, key: tuple[str, int]) -> Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(lambda: Connection(key), key[0], key[1]),
                CONNECT_TIMEOUT,
            )
        except (OSError, TimeoutError) as exc:
            raise ConnectFailed(f"cannot connect to {key[0]}:{key[1]}: {exc}") from exc
        return connection

    def _take_idle(self, key: tuple[str, int]) -> Connection | None:
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

    def release(self, connection: Connection) -> None:
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
