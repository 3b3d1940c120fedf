"""Credentials with a life cycle: tokens that expire and are scoped (any token could mint
more tokens, and none ever expired), a password change and "sign out everywhere" that end
the other sessions and their WebSockets, a session list to see them."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import httpx
import websockets
from sqlmodel import update

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.core.time import utcnow
from app.models.user import ApiToken
from tests.attacks.conftest import ApiStarter, notebook_row, sign_in
from tests.support import loopback
from tests.support.environment import PASSWORD
from tests.support.processes import token_for


async def mint(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    return await client.post("/api/tokens", json={"name": "t", **body})


async def test_only_a_full_token_mints_tokens_and_never_a_wider_one(
    start_apis: ApiStarter, account: str
) -> None:
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url) as browser:
        csrf = await sign_in(browser, account)
        scoped = {}
        for scope in ("read", "write", "full"):
            r = await browser.post(
                "/api/tokens", json={"name": scope, "scope": scope}, headers=csrf
            )
            assert r.status_code == 201 and r.json()["scope"] == scope, r.text
            scoped[scope] = r.json()["token"]
        r = await browser.post("/api/tokens", json={"name": "d"}, headers=csrf)
        assert r.json()["scope"] == "write"  # the default
    async with httpx.AsyncClient(base_url=api.url) as script:
        for scope, token in scoped.items():
            script.headers["Authorization"] = f"Bearer {token}"
            minted = await mint(script, scope="read")
            assert minted.status_code == (201 if scope == "full" else 403), (scope, minted.text)
            assert (await script.get("/api/tokens")).status_code == 200
            wrote = await script.post("/api/lists", json={"name": f"by {scope}"})
            assert wrote.status_code == (403 if scope == "read" else 201), (scope, wrote.text)
            if scope != "full":
                assert (await script.get("/api/auth/sessions")).status_code == 403


async def test_a_read_only_token_opens_no_notebook(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    notebook = await notebook_row(settings, account)
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url) as browser:
        csrf = await sign_in(browser, account)
        r = await browser.post("/api/tokens", json={"name": "r", "scope": "read"}, headers=csrf)
        token = r.json()["token"]
    async with loopback.client() as script:
        script.headers["Authorization"] = f"Bearer {token}"
        r = await script.get(notebook.url(settings, api, "api/status"))
        assert r.status_code == 403 and "read-only" in r.text


async def test_a_token_stops_at_its_expiry(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url) as browser:
        csrf = await sign_in(browser, account)
        r = await browser.post(
            "/api/tokens", json={"name": "week", "expires_in_days": 7}, headers=csrf
        )
        assert r.status_code == 201, r.text
        created = r.json()
        assert created["expires_at"] is not None
    async with httpx.AsyncClient(base_url=api.url) as script:
        script.headers["Authorization"] = f"Bearer {created['token']}"
        assert (await script.get("/api/me")).status_code == 200
        engine = make_engine(settings.sqlalchemy_url)
        try:
            async with make_sessionmaker(engine)() as db:
                past = utcnow() - timedelta(seconds=1)
                await db.exec(update(ApiToken).values(expires_at=past))
                await db.commit()
        finally:
            await engine.dispose()
        r = await script.get("/api/me")
        assert r.status_code == 401 and "expired" in r.text


async def test_a_password_change_ends_the_other_sessions_and_their_sockets(
    start_apis: ApiStarter, account: str
) -> None:
    first, second = await start_apis(2)
    async with (
        httpx.AsyncClient(base_url=first.url) as here,
        httpx.AsyncClient(base_url=second.url) as elsewhere,
    ):
        csrf = await sign_in(here, account)
        await sign_in(elsewhere, account)
        cookie = f"workspace_session={elsewhere.cookies['workspace_session']}"
        feed = await websockets.connect(
            second.url.replace("http://", "ws://") + "/api/events",
            additional_headers={"Cookie": cookie},
        )
        sessions = (await here.get("/api/auth/sessions")).json()
        assert len(sessions) == 2 and sum(s["current"] for s in sessions) == 1
        wrong = {"current_password": "not-it-at-all", "new_password": "a-new-password"}
        r = await here.post("/api/auth/password", json=wrong, headers=csrf)
        assert r.status_code == 422 and "current_password" in r.text
        right = {"current_password": PASSWORD, "new_password": "a-new-password"}
        r = await here.post("/api/auth/password", json=right, headers=csrf)
        assert r.status_code == 204, r.text

        with contextlib.suppress(websockets.ConnectionClosed):
            await asyncio.wait_for(feed.recv(), 1.0)
            await asyncio.wait_for(feed.recv(), 1.0)
        assert feed.close_code == 1008
        assert (await elsewhere.get("/api/me")).status_code == 401
        assert (await here.get("/api/me")).status_code == 200
        assert len((await here.get("/api/auth/sessions")).json()) == 1
        old = {"username": account, "password": PASSWORD}
        assert (await elsewhere.post("/api/auth/login", json=old)).status_code == 401
        new = {"username": account, "password": "a-new-password"}
        assert (await elsewhere.post("/api/auth/login", json=new)).status_code == 200


async def test_one_session_or_all_of_them_are_signed_out(
    start_apis: ApiStarter, account: str
) -> None:
    (api,) = await start_apis()
    clients = [httpx.AsyncClient(base_url=api.url) for _ in range(3)]
    try:
        csrfs = [await sign_in(client, account) for client in clients]
        me = clients[0]
        listed = (await me.get("/api/auth/sessions")).json()
        others = [s["id"] for s in listed if not s["current"]]
        r = await me.delete(f"/api/auth/sessions/{others[0]}", headers=csrfs[0])
        assert r.status_code == 204
        statuses = [(await c.get("/api/me")).status_code for c in clients]
        assert sorted(statuses) == [200, 200, 401]
        async with httpx.AsyncClient(base_url=api.url) as script:
            token = await token_for(script, account, PASSWORD)
        feeds = [
            await websockets.connect(
                api.url.replace("http://", "ws://") + "/api/events",
                additional_headers={
                    "Cookie": f"workspace_session={c.cookies['workspace_session']}"
                },
            )
            for c in clients
            if (await c.get("/api/me")).status_code == 200
        ]
        r = await me.delete("/api/auth/sessions", headers=csrfs[0])
        assert r.status_code == 204
        for feed in feeds:  # "sign out everywhere" ends their sockets too
            with contextlib.suppress(websockets.ConnectionClosed):
                async with asyncio.timeout(1.0):
                    async for _message in feed:
                        pass
            assert feed.close_code == 1008
        assert [(await c.get("/api/me")).status_code for c in clients] == [401, 401, 401]
        async with httpx.AsyncClient(base_url=api.url) as script:
            script.headers["Authorization"] = f"Bearer {token}"
            assert (await script.get("/api/me")).status_code == 200  # tokens are not sessions
    finally:
        for client in clients:
            await client.aclose()


async def test_logout_needs_the_csrf_header(start_apis: ApiStarter, account: str) -> None:
    """Another page of the same site (a notebook's, say) must not sign you out."""
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url) as browser:
        csrf = await sign_in(browser, account)
        assert (await browser.post("/api/auth/logout")).status_code == 403
        assert (await browser.get("/api/me")).status_code == 200
        assert (await browser.post("/api/auth/logout", headers=csrf)).status_code == 204
        assert (await browser.get("/api/me")).status_code == 401
