"""Shared fixtures: a real PostgreSQL, a real Redis, and the SQLite default, each test isolated.

PostgreSQL: one test database, migrated once per run, truncated before every test.
SQLite: one migrated template file per run, copied fresh for every test.
Redis: a dedicated logical database, flushed before every test.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlmodel import SQLModel

from app.core.config import Settings
from app.main import create_app
from app.services.accounts import users
from tests.support.databases import fresh_database, migrate
from tests.support.environment import PASSWORD, PG_TEST_DB, REDIS_TEST_URL
from tests.support.processes import token_for


@pytest.fixture(scope="session")
def pg_database() -> str:
    # A sync session fixture: set up outside the tests' event loop.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fresh_database(PG_TEST_DB)).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "workspace.db"
    with ThreadPoolExecutor(1) as pool:
        pool.submit(migrate, f"sqlite+aiosqlite:///{path}").result()
    return path


@pytest.fixture(params=["postgres", "sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    """API tests run on both databases; tests needing only PostgreSQL use `settings`."""
    return str(request.param)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    def make(database_url: str, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "environment": "test",
            "secret_key": "test-secret-key",
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "redis_url": REDIS_TEST_URL,
        }
        return Settings(**(values | overrides))

    return make


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database for this test: `backend`'s kind when the test has one."""
    kind = request.getfixturevalue("backend") if "backend" in request.fixturenames else "postgres"
    if kind == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "workspace.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    return url


@pytest.fixture
async def clean_state(database_url: str) -> None:
    """Empty tables and Redis, so no test sees another's data."""
    if database_url.startswith("postgresql"):
        conn = await asyncpg.connect(database_url)
        try:
            tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            # Ids keep counting across tests: a notebook's container name (`<instance>-nb-<id>`)
            # is then never reused, so a process of an earlier test still shutting down
            # cannot touch this test's container.
            await conn.execute(f"TRUNCATE {tables} CASCADE")
        finally:
            await conn.close()
    redis = Redis.from_url(REDIS_TEST_URL)
    await redis.flushdb()
    await redis.aclose()


@pytest.fixture
def settings(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None
) -> Settings:
    return settings_factory(database_url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


UserFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def make_user(app: FastAPI) -> AsyncIterator[UserFactory]:
    """Create a user and return a client authenticated as them by a fresh API token."""
    clients: list[httpx.AsyncClient] = []

    async def make(username: str, *, admin: bool = False) -> httpx.AsyncClient:
        async with app.state.sessionmaker() as db:
            await users.create_user(db, username, PASSWORD, is_admin=admin)
        c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        clients.append(c)
        c.headers["Authorization"] = f"Bearer {await token_for(c, username, PASSWORD)}"
        return c

    yield make
    for c in clients:
        await c.aclose()


@pytest.fixture
async def alice(make_user: UserFactory) -> httpx.AsyncClient:
    return await make_user("alice")


@pytest.fixture
async def bob(make_user: UserFactory) -> httpx.AsyncClient:
    return await make_user("bob")


@pytest.fixture
async def db_session(app: FastAPI) -> AsyncIterator[Any]:
    async with app.state.sessionmaker() as session:
        yield session
