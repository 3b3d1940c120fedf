"""Real api processes to attack (no worker, no Docker unless a test brings its own)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.core import notebook_origin
from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.models.notebook import DesiredState, Notebook, Status
from app.models.user import User
from app.services.accounts import users
from tests.support.environment import PASSWORD
from tests.support.processes import Service, api_service, free_port, wait_http


@dataclass
class Api:
    url: str
    port: int
    service: Service

    @property
    def pid(self) -> int:
        assert self.service.process is not None
        return self.service.process.pid


ApiStarter = Callable[..., Awaitable[list[Api]]]


@pytest.fixture
async def start_apis(
    settings: Settings, request: pytest.FixtureRequest
) -> AsyncIterator[ApiStarter]:
    """Start `count` api processes on the test's settings (with `overrides`)."""
    apis: list[Api] = []

    async def start(count: int = 1, **overrides: object) -> list[Api]:
        config = Settings(**(settings.model_dump() | overrides))
        started = []
        for _ in range(count):
            port = free_port()
            api = Api(f"http://127.0.0.1:{port}", port, api_service(config, port))
            apis.append(api)
            started.append(api)
            await api.service.start()
        for api in started:
            await wait_http(f"{api.url}/api/health")
        return started

    yield start
    for api in apis:
        await api.service.stop()
    failed = getattr(request.node, "rep_call", None)
    if failed is None or failed.failed:
        for api in apis:
            print(f"--- api {api.port} output ---\n{api.service.output()}")


@pytest.fixture
async def account(settings: Settings) -> str:
    """A user `mallory`'s victim, `alice`, with the tests' password; her username."""
    engine = make_engine(settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as db:
            await users.create_user(db, "alice", PASSWORD)
    finally:
        await engine.dispose()
    return "alice"


async def sign_in(client: httpx.AsyncClient, username: str = "alice") -> dict[str, str]:
    """Sign `client` in with a session cookie; the CSRF header its unsafe requests need."""
    r = await client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return {"X-CSRF-Token": client.cookies["workspace_csrf"]}


@dataclass(frozen=True)
class StoredNotebook:
    id: int
    key: str

    def url(self, settings: Settings, api: Api, path: str = "", *, scheme: str = "http") -> str:
        """`path` on the notebook's own origin as served by `api`."""
        host = notebook_origin.host(settings, self.key)
        return f"{scheme}://{host}:{api.port}{notebook_origin.base_path(settings, self.key)}{path}"


async def notebook_row(settings: Settings, owner: str, **fields: Any) -> StoredNotebook:
    """A notebook of `owner`'s stored as the worker would have left it (no container)."""
    engine = make_engine(settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as db:
            user = (await db.exec(select(User).where(User.username == owner))).one()
            assert user.id is not None
            values: dict[str, Any] = {
                "name": "lab",
                "image": "workspace/testnb:latest",
                "cpus": 0.5,
                "memory_mb": 256,
                "idle_timeout_minutes": 0,
                "jupyter_token": secrets.token_hex(32),
                "status": Status.stopped,
                "desired_state": DesiredState.stopped,
            }
            notebook = Notebook(owner_id=user.id, **(values | fields))
            db.add(notebook)
            await db.commit()
            assert notebook.id is not None
            return StoredNotebook(notebook.id, notebook.key)
    finally:
        await engine.dispose()
