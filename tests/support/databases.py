"""Throwaway PostgreSQL databases, migrated to head, for the tests and the benches."""

from __future__ import annotations

import asyncio

import asyncpg
from alembic import command
from alembic.config import Config

from tests.support.environment import PG_ADMIN_URL, ROOT


def database_url(name: str, admin_url: str = PG_ADMIN_URL) -> str:
    """The URL of database `name` on the server of `admin_url`."""
    return admin_url.rsplit("/", 1)[0] + "/" + name


def migrate(url: str) -> None:
    """Alembic to head. Blocking, and its env runs an event loop: call it from a thread."""
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


async def fresh_database(name: str, admin_url: str = PG_ADMIN_URL) -> str:
    """Drop database `name` (closing its connections), create it, migrate it; its URL."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = database_url(name, admin_url)
    await asyncio.to_thread(migrate, url)
    return url


async def drop_database(name: str, admin_url: str = PG_ADMIN_URL) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
