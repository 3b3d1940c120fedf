"""Alembic environment: async engine from WorkSpace settings, batch mode for SQLite."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import app.models.all  # noqa: F401  (registers every table on SQLModel.metadata)
from app.core.config import get_settings
from app.core.db import Timeouts, make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


# Made by migrations in SQL the models cannot express (the blog's full-text search): not
# compared with the models.
UNMODELLED_PREFIXES = ("posts_fts", "ix_posts_search")


def _include_name(name: str | None, _type: str, _parents: object) -> bool:
    return not (name or "").startswith(UNMODELLED_PREFIXES)


def _url() -> str:
    return str(config.attributes.get("url") or get_settings().sqlalchemy_url)


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table by copy, drop and rename: with foreign keys on, dropping
        # `users` would delete every row that references it. The pragma is a no-op inside a
        # transaction, so it goes first, on its own.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        connection.commit()
        if broken:
            raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")


async def _run_online() -> None:
    # A migration may run long, but never waits long for a lock: queued behind an open
    # transaction, it would hold up every query that comes after it.
    engine = make_engine(
        _url(), timeouts=Timeouts(statement=0, idle_in_transaction=0), name="workspace-migrate"
    )
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
