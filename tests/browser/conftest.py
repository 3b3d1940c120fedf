"""Browser tests: headless Chromium (Debian's) driving the real dashboard on a real api.

One api process (and the worker, for notebooks) per test session, as subprocesses on a free
loopback port, against their own PostgreSQL database (`workspace_browser`) and Redis database
14, serving the built dashboard. One user signs in once; every test reuses that storage state
and works in its own list (or notebook), so tests do not depend on one another. Each test
saves a screenshot of the page it ends on under test-results/screenshots/.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import aiodocker
import asyncpg
import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from redis.asyncio import Redis

from app.core.config import Settings
from tests.support.chromium import launch_chromium
from tests.support.databases import fresh_database
from tests.support.environment import INSTANCE as TEST_INSTANCE
from tests.support.environment import ROOT
from tests.support.processes import (
    Service,
    api_service,
    free_port,
    process_env,
    wait_http,
    worker_service,
)

DB_NAME = os.environ.get("WORKSPACE_BROWSER_PG_DB", "workspace_browser")
REDIS_URL = os.environ.get("WORKSPACE_BROWSER_REDIS_URL", "redis://127.0.0.1:6379/14")
# Its own containers: a browser run cleans up by this label at its start, and must not remove
# those of another run on the same engine (each has its own WORKSPACE_TEST_INSTANCE).
INSTANCE = f"{TEST_INSTANCE}-browser"
TEST_IMAGE = "workspace/testnb:latest"
USERNAME = "browser"
PASSWORD = "correct-horse-battery-staple"
# Redis pub/sub is shared by every database of a server: an unusual user id keeps events that
# other test runs publish for their user 1 away from ours.
FIRST_USER_ID = 7001
SCREENSHOTS = ROOT / "test-results" / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 812}

expect.set_options(timeout=15_000)


@dataclass
class BrowserServer:
    url: str
    settings: Settings
    api: Service
    worker: Service
    user_id: int


async def _bump_user_ids(db_url: str) -> None:
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute(f"ALTER SEQUENCE users_id_seq RESTART WITH {FIRST_USER_ID}")
    finally:
        await conn.close()


async def _remove_containers() -> None:
    try:
        docker = aiodocker.Docker()
    except Exception:  # no Docker engine here: nothing of ours to remove
        return
    try:
        label = json.dumps({"label": [f"workspace.instance={INSTANCE}"]})
        with contextlib.suppress(aiodocker.DockerError, OSError):
            for container in await docker.containers.list(all=True, filters=label):
                with contextlib.suppress(aiodocker.DockerError):
                    await container.delete(force=True)
            volumes = await docker.volumes.list(
                filters={"label": [f"workspace.instance={INSTANCE}"]}
            )
            for volume in volumes.get("Volumes") or []:
                with contextlib.suppress(aiodocker.DockerError):
                    await aiodocker.volumes.DockerVolume(docker, volume["Name"]).delete()
            label_filter = {"label": [f"workspace.instance={INSTANCE}"]}
            for network in await docker.networks.list(filters=label_filter):
                with contextlib.suppress(aiodocker.DockerError):
                    await (await docker.networks.get(network["Id"])).delete()
    finally:
        await docker.close()


def _build_dashboard() -> None:
    """web/dist from the current sources (a no-op when it is up to date)."""
    subprocess.run([str(ROOT / "scripts" / "prepare-assets.sh")], check=True, cwd=ROOT)


def _create_user(settings: Settings) -> None:
    cli = Path(sys.executable).parent / "workspace"
    subprocess.run(
        [str(cli), "admin", "create-user", USERNAME],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env=process_env(settings),
        cwd=ROOT,
        capture_output=True,
    )


@pytest.fixture(scope="session")
async def server() -> AsyncIterator[BrowserServer]:
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(1) as pool:
        build = loop.run_in_executor(pool, _build_dashboard)
        db_url = await fresh_database(DB_NAME)
        await build
    await _bump_user_ids(db_url)
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    await _remove_containers()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        _env_file=None,
        environment="test",
        secret_key="browser-test-secret",
        database_url=db_url,
        redis_url=REDIS_URL,
        public_url=url,
        instance=INSTANCE,
        notebook_images=[TEST_IMAGE, "workspace/jupyter:latest"],
        notebook_idle_timeout_minutes=0,
        notebook_default_memory_mb=256,
        notebook_default_cpus=0.5,
    )
    await loop.run_in_executor(None, _create_user, settings)
    api, worker = api_service(settings, port), worker_service(settings)
    await api.start()
    await worker.start()
    try:
        await wait_http(f"{url}/api/health")
        yield BrowserServer(url, settings, api, worker, FIRST_USER_ID)
    finally:
        await worker.stop()
        await api.stop()
        await _remove_containers()
        log = ROOT / "test-results" / "browser-server.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"--- api ---\n{api.output()}\n--- worker ---\n{worker.output()}")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        yield browser
        await browser.close()


@pytest.fixture(scope="session")
async def storage_state(
    server: BrowserServer, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Sign in once; every test's context starts signed in with these cookies."""
    context = await browser.new_context(base_url=server.url)
    response = await context.request.post(
        "/api/auth/login", data={"username": USERNAME, "password": PASSWORD}
    )
    assert response.ok, await response.text()
    path = tmp_path_factory.mktemp("browser") / "state.json"
    await context.storage_state(path=path)
    await context.close()
    return path


def screenshot_path(request: pytest.FixtureRequest, suffix: str = "") -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}{suffix}.png"


ContextFactory = Callable[..., Awaitable[BrowserContext]]


@pytest.fixture
async def new_context(
    browser: Browser, server: BrowserServer, storage_state: Path, request: pytest.FixtureRequest
) -> AsyncIterator[ContextFactory]:
    """Contexts for this test (signed in unless `signed_in=False`); each page opened in them
    is screenshotted when the test ends."""
    contexts: list[BrowserContext] = []

    async def make(
        *,
        signed_in: bool = True,
        viewport: dict[str, int] = DESKTOP,
        color_scheme: Literal["light", "dark"] = "light",
    ) -> BrowserContext:
        context = await browser.new_context(
            base_url=server.url,
            viewport=viewport,  # type: ignore[arg-type]
            storage_state=storage_state if signed_in else None,
            color_scheme=color_scheme,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for ci, context in enumerate(contexts):
        for pi, page in enumerate(context.pages):
            suffix = "" if (ci, pi) == (0, 0) else f"-{ci}-{pi}"
            with contextlib.suppress(Exception):
                await page.screenshot(path=screenshot_path(request, suffix), full_page=True)
        await context.close()


@pytest.fixture
async def page(new_context: ContextFactory) -> Page:
    context = await new_context()
    return await context.new_page()


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:6]


@pytest.fixture
async def api(server: BrowserServer) -> AsyncIterator[httpx.AsyncClient]:
    """The same user over HTTP, for setting up data quickly."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        r = await client.post("/api/auth/login", json={"username": USERNAME, "password": PASSWORD})
        r.raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["workspace_csrf"]
        yield client


async def open_list(page: Page, api: httpx.AsyncClient, name: str) -> int:
    """Creates a list of this test's own and opens it."""
    r = await api.post("/api/lists", json={"name": name})
    r.raise_for_status()
    list_id = int(r.json()["id"])
    await page.goto(f"/todos?list={list_id}")
    await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    return list_id


async def todo_titles(page: Page) -> list[str]:
    return await page.get_by_role("list", name="Todos").locator(".todo-title").all_inner_texts()


async def docker_available(api: httpx.AsyncClient, timeout: float = 30) -> bool:
    """Whether notebooks can run: the worker reports Docker's state shortly after it starts."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if (await api.get("/api/notebooks/options")).json()["docker_available"]:
            return True
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.2)


@pytest.fixture
async def docker_ready(server: BrowserServer, api: httpx.AsyncClient) -> AsyncIterator[None]:
    # No skipping: `make test` builds the images and CI starts Docker, so a miss is a failure.
    docker = aiodocker.Docker()
    try:
        await docker.images.inspect(TEST_IMAGE)
    except (aiodocker.DockerError, OSError) as exc:
        pytest.fail(f"{TEST_IMAGE} is not built (scripts/build-images.sh testnb): {exc}")
    finally:
        await docker.close()
    assert await docker_available(api), "the worker never reported Docker available"
    yield
