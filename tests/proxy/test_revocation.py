"""The proxy's kernel and terminal bridges end with the credential they were opened with:
revoked through another api process, the browser's socket closes within a second."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

from tests.proxy.conftest import Lab
from tests.support.environment import PASSWORD
from tests.support.processes import api_service, free_port, token_for, wait_http
from workspace.client import AsyncKernel

CLOSE_WITHIN_SECONDS = 1.0


async def closed_within(connection: ClientConnection, seconds: float) -> int | None:
    async def drain() -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for _message in connection:
                pass

    await asyncio.wait_for(drain(), seconds)
    return connection.close_code


async def test_revoking_a_token_closes_its_kernel_and_terminal_sockets(lab: Lab) -> None:
    other_port = free_port()
    other = api_service(lab.stack.settings, other_port)
    await other.start()
    try:
        other_url = f"http://127.0.0.1:{other_port}"
        await wait_http(f"{other_url}/api/health")
        async with httpx.AsyncClient(base_url=lab.stack.base_url, timeout=60) as script:
            token = await token_for(script, "alice", PASSWORD)
        bearer = {"Authorization": f"Bearer {token}"}
        r = await lab.owner.post(f"{lab.prefix}api/kernels", json={"name": "python3"})
        assert r.status_code == 201, r.text
        kernel_url = f"{lab.ws_base}{lab.prefix}api/kernels/{r.json()['id']}/channels"
        kernel = await AsyncKernel.connect(kernel_url, bearer)
        assert (await kernel.execute("6*7")).result == "42"
        r = await lab.owner.post(f"{lab.prefix}api/terminals")
        assert r.status_code == 200, r.text
        terminal_url = f"{lab.ws_base}{lab.prefix}terminals/websocket/{r.json()['name']}"
        terminal = await websockets.connect(terminal_url, additional_headers=bearer, proxy=None)

        async with httpx.AsyncClient(base_url=other_url, headers=lab.owner.headers) as elsewhere:
            tokens = (await elsewhere.get("/api/tokens")).json()
            token_id = next(t["id"] for t in tokens if token.startswith(t["prefix"]))
            assert (await elsewhere.delete(f"/api/tokens/{token_id}")).status_code == 204

        codes = await asyncio.gather(
            closed_within(kernel.connection, CLOSE_WITHIN_SECONDS),
            closed_within(terminal, CLOSE_WITHIN_SECONDS),
        )
        assert list(codes) == [1008, 1008]
    finally:
        await other.stop()
