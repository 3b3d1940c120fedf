"""The proxy's upstream HTTP/1.1 pool against a small real server on loopback."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from app.proxy import upstream
from app.proxy.connection import HeadRefused
from app.proxy.upstream import ConnectFailed, UpstreamPool
from tests.support.processes import free_port

Handler = Callable[[bytes, bytes, asyncio.StreamWriter], Awaitable[bool]]


@dataclass
class Server:
    port: int
    connections: int = 0
    requests: list[tuple[bytes, bytes]] = field(default_factory=list)  # (head, body)
    writers: list[asyncio.StreamWriter] = field(default_factory=list)


async def _read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lower = head.lower()
    if b"transfer-encoding: chunked" in lower:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return head, body
            body += chunk[:-2]
    if b"content-length:" in lower:
        start = lower.index(b"content-length:") + 15
        length = int(lower[start : lower.index(b"\r\n", start)])
        return head, await reader.readexactly(length)
    return head, b""


@contextlib.asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[Server]:
    """A keep-alive HTTP/1.1 server; `handler` answers and says whether to keep the connection."""
    server = Server(free_port())

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.connections += 1
        server.writers.append(writer)
        try:
            while True:
                head, body = await _read_request(reader)
                server.requests.append((head, body))
                if not await handler(head, body, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    listener = await asyncio.start_server(connection, "127.0.0.1", server.port)
    try:
        yield server
    finally:
        listener.close()
        for writer in server.writers:
            writer.close()
        await listener.wait_closed()


async def ok(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
    payload = b"echo:" + body
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%b" % (len(payload), payload))
    await writer.drain()
    return True


def request_head(method: str, path: str, port: int, *extra: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"host: 127.0.0.1:{port}", *extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def read_all(pool: UpstreamPool, port: int, head: bytes, **kwargs: object) -> bytes:
    response = await pool.request("127.0.0.1", port, head, None, chunked=False, **kwargs)  # type: ignore[arg-type]
    try:
        return b"".join([chunk async for chunk in response.body()])
    finally:
        await response.aclose()


async def test_connections_are_kept_alive_and_reused() -> None:
    pool = UpstreamPool()
    async with serve(ok) as server:
        for _ in range(5):
            assert (
                await read_all(pool, server.port, request_head("GET", "/", server.port)) == b"echo:"
            )
        assert server.connections == 1
    await pool.aclose()


async def test_request_bodies_stream_with_a_length_or_chunked() -> None:
    async def body() -> AsyncIterator[bytes]:
        for part in (b"a" * 70_000, b"b", b"c" * 5):
            yield part

    pool = UpstreamPool()
    async with serve(ok) as server:
        for chunked in (False, True):
            framing = "transfer-encoding: chunked" if chunked else "content-length: 70006"
            head = request_head("POST", "/up", server.port, framing)
            response = await pool.request("127.0.0.1", server.port, head, body(), chunked=chunked)
            got = b"".join([c async for c in response.body()])
            await response.aclose()
            assert got == b"echo:" + b"a" * 70_000 + b"b" + b"c" * 5
        assert [len(b) for _, b in server.requests] == [70_006, 70_006]
        assert server.connections == 1
    await pool.aclose()


async def test_chunked_and_large_responses_arrive_whole() -> None:
    big = bytes(range(256)) * 40_000  # 10 MB, more than the pool buffers before pausing

    async def chunked(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        if not head.startswith(b"GET /big "):
            return await ok(head, body, writer)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for i in range(0, len(big), 1 << 20):
            part = big[i : i + (1 << 20)]
            writer.write(b"%x\r\n%b\r\n" % (len(part), part))
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True

    pool = UpstreamPool()
    async with serve(chunked) as server:
        response = await pool.request(
            "127.0.0.1", server.port, request_head("GET", "/big", server.port), None, chunked=False
        )
        received = bytearray()
        async for chunk in response.body():
            received += chunk
            await asyncio.sleep(0)  # a slow reader: the pool pauses and resumes reading
        await response.aclose()
        assert bytes(received) == big
        assert await read_all(pool, server.port, request_head("GET", "/", server.port)) == b"echo:"
        assert server.connections == 1
    await pool.aclose()


async def test_head_answers_without_waiting_for_a_body() -> None:
    async def head_ok(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        await writer.drain()
        return True

    pool = UpstreamPool()
    async with serve(head_ok) as server:
        head = request_head("HEAD", "/", server.port)
        body = await asyncio.wait_for(read_all(pool, server.port, head, method_head=True), 5)
        assert body == b""
    await pool.aclose()


async def test_a_connection_the_server_dropped_while_idle_is_replaced() -> None:
    async def once(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        await ok(head, body, writer)
        return False  # close after each answer, without saying so

    pool = UpstreamPool()
    async with serve(once) as server:
        head = request_head("GET", "/", server.port)
        assert await read_all(pool, server.port, head, idempotent=True) == b"echo:"
        await asyncio.sleep(0.05)  # the close reaches the pool
        assert await read_all(pool, server.port, head, idempotent=True) == b"echo:"
        assert server.connections == 2
    await pool.aclose()


async def test_nothing_listening_is_connect_failed() -> None:
    pool = UpstreamPool()
    port = free_port()
    with pytest.raises(ConnectFailed):
        await pool.request("127.0.0.1", port, request_head("GET", "/", port), None, chunked=False)
    await pool.aclose()


@pytest.mark.parametrize("line_break", [True, False], ids=["many-headers", "one-endless"])
async def test_endless_response_headers_are_cut_off(line_break: bool) -> None:
    """A notebook is its user's code: its server may send headers without end."""

    async def flood(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\n" + (b"" if line_break else b"X-Flood: "))
        with contextlib.suppress(ConnectionError):
            for i in range(10_000):  # 80 MB, unless the pool hangs up first
                writer.write(b"X-%d: %s\r\n" % (i, b"a" * 8000) if line_break else b"a" * 8192)
                await writer.drain()
        return False

    pool = UpstreamPool()
    async with serve(flood) as server:
        with pytest.raises(HeadRefused, match="exceed"):
            await read_all(pool, server.port, request_head("GET", "/", server.port))
    await pool.aclose()


async def test_response_headers_that_never_come_are_given_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(upstream, "HEAD_TIMEOUT", 0.2)

    async def silent(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nX-Slow: 1\r\n")  # and never the end of the head
        await writer.drain()
        await asyncio.sleep(30)
        return False

    pool = UpstreamPool()
    async with serve(silent) as server:
        with pytest.raises(HeadRefused, match="no response headers within"):
            await read_all(pool, server.port, request_head("GET", "/", server.port))
    await pool.aclose()
