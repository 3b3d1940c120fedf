"""A running JupyterLab notebook behind the real stack, and checks that its token never leaks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiodocker
import httpx
import pytest
from playwright.async_api import Browser, async_playwright
from sqlmodel import update

from app.core.db import make_engine, make_sessionmaker
from app.core.time import utcnow
from app.models.notebook import Notebook
from app.models.user import SignInSession
from tests.support import loopback
from tests.support.chromium import launch_chromium
from tests.support.environment import JUPYTER_IMAGE, PASSWORD
from tests.support.event_feed import EventFeed
from tests.support.processes import process_alive
from tests.support.stack import Stack

# One instance name per test process: two runs of these tests at once (two checkouts, or a
# developer's run beside CI on one Docker engine) must not remove each other's containers.
INSTANCE_PREFIX = "wstp-"
INSTANCE = f"{INSTANCE_PREFIX}{os.getpid()}"
STALE_SECONDS = 3600


@dataclass
class Lab:
    stack: Stack
    api: httpx.AsyncClient  # Bearer-token client of the owner, "alice", on the dashboard
    owner: httpx.AsyncClient  # the same token, on the notebook's own origin
    feed: EventFeed
    notebook_id: int
    key: str
    jupyter_token: str

    # Jupyter's base URL: the notebook has an origin of its own.
    prefix = "/"

    @property
    def url(self) -> str:
        """The notebook's origin."""
        return self.stack.notebook_url(self.key)

    @property
    def ws_base(self) -> str:
        return self.url.replace("http://", "ws://")

    async def browser_session(self, username: str = "alice") -> httpx.AsyncClient:
        """A client as a browser is: signed in on the dashboard (session cookie), then
        handed over to the notebook's origin (its pass); its base URL is the notebook's."""
        client = loopback.client(base_url=self.stack.base_url, timeout=60)
        self.stack.clients.append(client)
        self.watch(client)
        r = await client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        r.raise_for_status()
        await client.get(f"/notebooks/{self.notebook_id}/lab", follow_redirects=True)
        client.base_url = httpx.URL(self.url)
        return client

    def watch(self, client: httpx.AsyncClient) -> None:
        """Fail on any response (headers or body) that contains the Jupyter token."""

        async def check(response: httpx.Response) -> None:
            await response.aread()
            assert_no_token(response, self.jupyter_token)

        client.event_hooks["response"].append(check)


def assert_no_token(response: httpx.Response, token: str) -> None:
    for name, value in response.headers.multi_items():
        assert token not in value, f"Jupyter token in response header {name}"
    assert token.encode() not in response.content, f"Jupyter token in {response.url}"


async def db_token(stack: Stack, notebook_id: int) -> str:
    engine = make_engine(stack.settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as db:
            notebook = await db.get(Notebook, notebook_id)
            assert notebook is not None
            return notebook.jupyter_token
    finally:
        await engine.dispose()


async def expire_sessions(stack: Stack) -> None:
    """Every sign-in session ends now (as if its max age had passed)."""
    engine = make_engine(stack.settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as db:
            past = utcnow() - timedelta(seconds=1)
            await db.exec(update(SignInSession).values(expires_at=past))
            await db.commit()
    finally:
        await engine.dispose()


async def start_lab(stack: Stack, feed_for: Callable[..., Any], name: str = "lab") -> Lab:
    api = await stack.user("alice")
    feed: EventFeed = await feed_for(api)
    r = await api.post("/api/notebooks", json={"name": name, "image": JUPYTER_IMAGE})
    assert r.status_code == 202, r.text
    notebook_id, key = int(r.json()["id"]), str(r.json()["key"])
    await feed.wait_status(notebook_id, "healthy", timeout=120)
    owner = stack.notebook_client(key, api)
    lab = Lab(stack, api, owner, feed, notebook_id, key, await db_token(stack, notebook_id))
    lab.watch(api)
    lab.watch(owner)
    # Events travel on a Redis channel shared by every database: make sure it is ours.
    deadline = time.monotonic() + 120
    while (r := await owner.get(f"{lab.prefix}api/status")).status_code != 200:
        assert time.monotonic() < deadline, f"no answer through the proxy: {r.status_code} {r.text}"
        await asyncio.sleep(0.2)
    return lab


@pytest.fixture
def instance() -> str:
    """These tests' containers carry this process's own instance label, so the cleanup of a
    test run elsewhere on the same Docker engine never removes them, and theirs never
    removes ours."""
    return INSTANCE


@pytest.fixture
async def docker(docker: aiodocker.Docker) -> aiodocker.Docker:
    """The stack fixtures' `docker`, after removing containers that runs whose process is
    gone left behind (once they are old enough that no live run can own them)."""
    for container in await docker.containers.list(all=True):
        info = container._container
        instance = (info.get("Labels") or {}).get("workspace.instance", "")
        pid = instance.removeprefix(INSTANCE_PREFIX)
        old = time.time() - float(info.get("Created") or 0) > STALE_SECONDS
        ours = instance.startswith(INSTANCE_PREFIX) and pid.isdigit()
        if ours and old and not process_alive(int(pid)):
            with contextlib.suppress(aiodocker.DockerError):
                await container.delete(force=True, v=True)
    return docker


@pytest.fixture
async def lab(stack: Stack, feed_for: Callable[..., Any]) -> Lab:
    return await start_lab(stack, feed_for)


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            yield browser
        finally:
            await browser.close()
