"""Long-lived connections: a log stream held its request's database session, so sixty of
them took the whole pool and everything else answered 500; nor was there a cap per user on
streams or WebSockets."""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx
import pytest
import websockets

from app.core.config import Settings
from tests.attacks.conftest import ApiStarter, notebook_row
from tests.support.environment import PASSWORD
from tests.support.processes import token_for


async def open_streams(
    client: httpx.AsyncClient, path: str, count: int, stack: contextlib.AsyncExitStack
) -> list[httpx.Response]:
    async def one() -> httpx.Response:
        response = await stack.enter_async_context(client.stream("GET", path))
        return response

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def test_sixty_log_streams_leave_the_pool_to_everyone_else(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    notebook_id = (await notebook_row(settings, account)).id
    (api,) = await start_apis(max_log_streams_per_user=100)
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(base_url=api.url, timeout=60, limits=limits) as client:
        client.headers["Authorization"] = f"Bearer {await token_for(client, account, PASSWORD)}"
        async with contextlib.AsyncExitStack() as stack:
            streams = await open_streams(
                client, f"/api/notebooks/{notebook_id}/logs?follow=true", 60, stack
            )
            assert {s.status_code for s in streams} == {200}
            r = await client.get("/api/me")
            assert r.status_code == 200, r.text
            r = await client.get(f"/api/notebooks/{notebook_id}")
            assert r.status_code == 200, r.text


async def test_log_streams_per_user_are_capped_across_processes(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    notebook_id = (await notebook_row(settings, account)).id
    first, second = await start_apis(2, max_log_streams_per_user=4)
    path = f"/api/notebooks/{notebook_id}/logs?follow=true"
    async with (
        httpx.AsyncClient(base_url=first.url, timeout=60) as a,
        httpx.AsyncClient(base_url=second.url, timeout=60) as b,
    ):
        token = await token_for(a, account, PASSWORD)
        for client in (a, b):
            client.headers["Authorization"] = f"Bearer {token}"
        async with contextlib.AsyncExitStack() as stack:
            held = await open_streams(a, path, 2, stack) + await open_streams(b, path, 2, stack)
            assert {s.status_code for s in held} == {200}
            r = await b.get(path)
            assert r.status_code == 429, r.text
            assert "at most 4 log streams" in r.text
        # Closed by the client: the server notices at its next keep-alive and frees the slot.
        deadline = time.monotonic() + 60
        async with contextlib.AsyncExitStack() as stack:
            while (await stack.enter_async_context(a.stream("GET", path))).status_code != 200:
                assert time.monotonic() < deadline, "the closed streams' slots never came back"
                await asyncio.sleep(1)


async def test_websockets_per_user_are_capped(start_apis: ApiStarter, account: str) -> None:
    (api,) = await start_apis(max_websockets_per_user=3)
    url = api.url.replace("http://", "ws://") + "/api/events"
    async with httpx.AsyncClient(base_url=api.url) as client:
        headers = {"Authorization": f"Bearer {await token_for(client, account, PASSWORD)}"}
    sockets = [await websockets.connect(url, additional_headers=headers) for _ in range(3)]
    with pytest.raises(websockets.InvalidStatus):
        await websockets.connect(url, additional_headers=headers)
    await sockets.pop().close()
    again = await websockets.connect(url, additional_headers=headers)
    for socket in (*sockets, again):
        await socket.close()
