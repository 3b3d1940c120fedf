"""A notebook is its user's own code, and its server may answer anything: response headers
without end, or a WebSocket message of any size. The proxy must cut both off rather than
hold them (here the notebook's server is a hostile stand-in on the port the row names)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import websockets
from websockets.asyncio.server import ServerConnection

from app.core.config import Settings
from app.models.notebook import DesiredState, Status
from tests.attacks.conftest import ApiStarter, notebook_row
from tests.attacks.sockets import rss_bytes
from tests.support import loopback
from tests.support.environment import PASSWORD
from tests.support.processes import free_port, token_for

MiB = 1024 * 1024


@contextlib.asynccontextmanager
async def header_flood(port: int) -> AsyncIterator[None]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(100_000):  # 800 MB of headers, unless the proxy hangs up
                writer.write(b"X-Flood-%d: %s\r\n" % (i, b"a" * 8000))
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", port)
    try:
        yield
    finally:
        server.close()


async def test_endless_response_headers_end_as_a_502(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    port = free_port()
    notebook = await notebook_row(
        settings, account, status=Status.healthy, desired_state=DesiredState.running, host_port=port
    )
    (api,) = await start_apis()
    async with header_flood(port), loopback.client(base_url=api.url, timeout=60) as client:
        client.headers["Authorization"] = f"Bearer {await token_for(client, account, PASSWORD)}"
        before = rss_bytes(api.pid)
        r = await client.get(notebook.url(settings, api, "api/status"))
        grown = rss_bytes(api.pid) - before
    assert r.status_code == 502, r.text[:300]
    assert "headers exceed" in r.text
    assert grown < 32 * MiB, f"the api grew by {grown / MiB:.0f} MiB"


async def test_an_oversized_websocket_message_closes_the_bridge(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    size = 64 * MiB
    port = free_port()
    notebook = await notebook_row(
        settings, account, status=Status.healthy, desired_state=DesiredState.running, host_port=port
    )

    async def flood(connection: ServerConnection) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await connection.send(b"x" * size)
            await connection.wait_closed()

    (api,) = await start_apis(websocket_max_message_bytes=MiB)
    async with (
        websockets.serve(flood, "127.0.0.1", port, max_size=None, compression=None),
        httpx.AsyncClient(base_url=api.url) as client,
    ):
        bearer = {"Authorization": f"Bearer {await token_for(client, account, PASSWORD)}"}
        url = notebook.url(settings, api, "api/kernels/k/channels", scheme="ws")
        before = rss_bytes(api.pid)
        async with websockets.connect(
            url, additional_headers=bearer, max_size=None, **loopback.ws_target(url)
        ) as browser:
            received = []
            with contextlib.suppress(websockets.ConnectionClosed):
                async with asyncio.timeout(60):
                    async for message in browser:
                        received.append(len(message))
        grown = rss_bytes(api.pid) - before
    assert received == []
    assert browser.close_code in (1009, 1011), browser.close_code
    assert grown < 32 * MiB, f"the api grew by {grown / MiB:.0f} MiB"
