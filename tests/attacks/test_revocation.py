"""WebSockets outlive their credential: sign-out and token revocation must close them, in
every api process, within a second."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

from tests.attacks.conftest import ApiStarter, sign_in
from tests.support.environment import PASSWORD
from tests.support.processes import token_for

CLOSE_WITHIN_SECONDS = 1.0


async def feed(base_url: str, headers: dict[str, str]) -> ClientConnection:
    connection = await websockets.connect(
        base_url.replace("http://", "ws://") + "/api/events", additional_headers=headers
    )
    assert '"snapshot"' in str(await connection.recv())
    return connection


async def closed_within(connection: ClientConnection, seconds: float) -> int | None:
    """The close code once the server closed the socket, waiting at most `seconds`."""

    async def drain() -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for _message in connection:
                pass

    await asyncio.wait_for(drain(), seconds)
    return connection.close_code


async def still_open(connection: ClientConnection) -> bool:
    await connection.ping()  # answered only by a socket the server keeps
    return connection.close_code is None


async def test_revoking_a_token_closes_its_feeds_in_every_api_process(
    start_apis: ApiStarter, account: str
) -> None:
    first, second = await start_apis(2)
    async with (
        httpx.AsyncClient(base_url=first.url) as script,
        httpx.AsyncClient(base_url=second.url) as browser,
    ):
        token = await token_for(script, account, PASSWORD)
        other_token = await token_for(script, account, PASSWORD)
        csrf = await sign_in(browser, account)
        bearer = {"Authorization": f"Bearer {token}"}
        on_first, on_second = await feed(first.url, bearer), await feed(second.url, bearer)
        untouched = await feed(first.url, {"Authorization": f"Bearer {other_token}"})

        tokens = (await browser.get("/api/tokens")).json()
        token_id = next(t["id"] for t in tokens if token.startswith(t["prefix"]))
        r = await browser.delete(f"/api/tokens/{token_id}", headers=csrf)
        assert r.status_code == 204, r.text

        codes = await asyncio.gather(
            closed_within(on_first, CLOSE_WITHIN_SECONDS),
            closed_within(on_second, CLOSE_WITHIN_SECONDS),
        )
        assert list(codes) == [1008, 1008]
        assert await still_open(untouched)
        await untouched.close()


async def test_signing_out_closes_the_sessions_feeds_in_every_api_process(
    start_apis: ApiStarter, account: str
) -> None:
    first, second = await start_apis(2)
    async with (
        httpx.AsyncClient(base_url=first.url) as browser,
        httpx.AsyncClient(base_url=second.url) as other_browser,
    ):
        csrf = await sign_in(browser, account)
        await sign_in(other_browser, account)
        cookie = {"Cookie": f"workspace_session={browser.cookies['workspace_session']}"}
        other = {"Cookie": f"workspace_session={other_browser.cookies['workspace_session']}"}
        on_first, on_second = await feed(first.url, cookie), await feed(second.url, cookie)
        untouched = await feed(second.url, other)

        r = await browser.post("/api/auth/logout", headers=csrf)
        assert r.status_code == 204, r.text

        codes = await asyncio.gather(
            closed_within(on_first, CLOSE_WITHIN_SECONDS),
            closed_within(on_second, CLOSE_WITHIN_SECONDS),
        )
        assert list(codes) == [1008, 1008]
        assert await still_open(untouched)
        await untouched.close()
