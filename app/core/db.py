"""Database engine and sessions (SQLModel on async SQLAlchemy: asyncpg or aiosqlite)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings


def async_url(url: str) -> str:
    """Pick the async driver for a plain URL (`postgresql://` means asyncpg)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.removeprefix("sqlite://")
    return url


@dataclass(frozen=True, slots=True)
class Timeouts:
    """PostgreSQL's own limits, set on every connection (seconds; 0 turns one off).

    Whatever the application does wrong, no statement runs, no lock is waited for and no
    transaction sits idle past these: PostgreSQL ends it, the request or job fails with an
    error, and its locks go. Without them a transaction left open while its process waits
    on something else can block a migration or a TRUNCATE, and everything queued behind
    that, with nothing to break the cycle.
    """

    statement: float = 30
    lock: float = 10
    idle_in_transaction: float = 60

    @classmethod
    def of(cls, settings: Settings) -> Timeouts:
        return cls(
            statement=settings.db_statement_timeout_seconds,
            lock=settings.db_lock_timeout_seconds,
            idle_in_transaction=settings.db_idle_in_transaction_timeout_seconds,
        )

    def server_settings(self) -> dict[str, str]:
        return {
            "statement_timeout": str(int(self.statement * 1000)),
            "lock_timeout": str(int(self.lock * 1000)),
            "idle_in_transaction_session_timeout": str(int(self.idle_in_transaction * 1000)),
        }


def make_engine(
    url: str, *, timeouts: Timeouts | None = None, name: str = "workspace"
) -> AsyncEngine:
    """`name` is the connections' application_name (what pg_stat_activity shows)."""
    url = async_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    server_settings = (timeouts or Timeouts()).server_settings() | {"application_name": name}
    return create_async_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"server_settings": server_settings},
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
