"""The database part: SQLite through its online backup API, PostgreSQL through pg_dump's
custom format and pg_restore; the schema revision, Alembic's upgrade, and what a target holds."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, text, update
from sqlalchemy.engine import URL, Connection
from sqlmodel import col

from app.backup.manifest import BackupError
from app.core.db import async_url, make_engine
from app.models.notebook import DesiredState, Notebook, Status
from app.services.notebooks.status import AT_REST

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
# Counted into the manifest, and what makes a target "not empty".
COUNTED = ("users", "todos", "posts", "notebooks")
RESTORED_REASON = "restored from a backup: starting again"


def kind_of(url: str) -> str:
    return "sqlite" if async_url(url).startswith("sqlite") else "postgresql"


def sqlite_path(url: str) -> Path:
    database = make_url(async_url(url)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def require(url: str) -> None:
    """The database to back up is there (an SQLite file is not created by looking)."""
    if kind_of(url) == "sqlite" and not sqlite_path(url).exists():
        raise BackupError(
            f"there is no database at {sqlite_path(url)}: run this with the server's settings "
            "(WORKSPACE_DATA_DIR, DATABASE_URL)"
        )


def _alembic(url: str) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logger"] = False
    return cfg


def known_revisions(url: str) -> tuple[set[str], str]:
    """Every revision this code has, and its head."""
    scripts = ScriptDirectory.from_config(_alembic(url))
    head = scripts.get_current_head()
    assert head is not None
    return {r.revision for r in scripts.walk_revisions()}, head


async def migrate(url: str) -> None:
    # Alembic's env runs its own event loop: give it a thread.
    await asyncio.to_thread(command.upgrade, _alembic(url), "head")


async def contents(url: str) -> tuple[str | None, dict[str, int]]:
    """The schema revision and the counted tables' rows; (None, {}) for a database with no
    tables (or an SQLite file not yet there, which this does not create)."""
    if kind_of(url) == "sqlite" and not sqlite_path(url).exists():
        return None, {}

    def read(connection: Connection) -> tuple[str | None, dict[str, int]]:
        tables = set(inspect(connection).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        rows = {
            name: int(connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
            for name in COUNTED
            if name in tables
        }
        return revision, rows

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()


async def other_connections(url: str) -> int:
    """Sessions other than ours on the target PostgreSQL database: a running api or worker
    would hold on to the tables a restore drops, or write into what it loads."""
    if kind_of(url) != "postgresql":
        return 0
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'"
                )
            )
    finally:
        await engine.dispose()
    return int(count or 0)


def _pg_env(url: str) -> tuple[dict[str, str], str]:
    """libpq's environment for the URL (the password never on a command line), and the
    database name."""
    parsed: URL = make_url(async_url(url))
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
    ):
        if value is not None:
            env[key] = str(value)
    if not parsed.database:
        raise BackupError("DATABASE_URL names no database")
    return env, parsed.database


async def _run(args: list[str], env: dict[str, str]) -> str:
    try:
        process = await asyncio.create_subprocess_exec(
            *args,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} is not installed on this machine (Debian: apt-get install "
            "postgresql-client, of the server's major version or newer)"
        ) from None
    out, err = await process.communicate()
    if process.returncode:
        raise BackupError(f"{args[0]} failed: {err.decode(errors='replace').strip()}")
    return out.decode(errors="replace")


async def dump(url: str, target: Path) -> None:
    if kind_of(url) == "postgresql":
        env, name = _pg_env(url)
        await _run(["pg_dump", "--format=custom", f"--file={target}", name], env)
        return
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    await asyncio.to_thread(_sqlite_copy, source, target)


def _sqlite_copy(source: Path, target: Path) -> None:
    """The online backup API: one consistent copy, while the api keeps writing."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # The copy is a rollback-journal database: it reads without -wal/-shm files.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


async def check_dump(kind: str, path: Path) -> None:
    """That the file is a database of its kind (its digest already matched)."""
    if kind == "postgresql":
        await _run(["pg_restore", "--list", str(path)], dict(os.environ))
        return

    def quick_check() -> None:
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                result = db.execute("PRAGMA quick_check").fetchone()
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path.name} is not a usable SQLite database: {exc}") from None
        if not result or result[0] != "ok":
            raise BackupError(f"{path.name} fails SQLite's check: {result}")

    await asyncio.to_thread(quick_check)


async def load(url: str, path: Path) -> None:
    """Replace the target database's contents with the dump's."""
    if kind_of(url) == "postgresql":
        await _wipe_postgres(url)
        env, name = _pg_env(url)
        await _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={name}",
                str(path),
            ],
            env,
        )
        return
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)

    def copy() -> None:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    await asyncio.to_thread(copy)


async def _wipe_postgres(url: str) -> None:
    """Drop this schema's tables, views and sequences: a newer target's extra tables would
    otherwise stand in the way of migrating the restored, older schema."""
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            views = (
                await connection.execute(
                    text(
                        "SELECT table_name FROM information_schema.views "
                        "WHERE table_schema = current_schema()"
                    )
                )
            ).scalars()
            for view in list(views):
                await connection.execute(text(f'DROP VIEW IF EXISTS "{view}" CASCADE'))
            tables = (
                await connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                )
            ).scalars()
            names = ", ".join(f'"{t}"' for t in tables)
            if names:
                await connection.execute(text(f"DROP TABLE IF EXISTS {names} CASCADE"))
            sequences = (
                await connection.execute(
                    text(
                        "SELECT sequence_name FROM information_schema.sequences "
                        "WHERE sequence_schema = current_schema()"
                    )
                )
            ).scalars()
            for sequence in list(sequences):
                await connection.execute(text(f'DROP SEQUENCE IF EXISTS "{sequence}" CASCADE'))
    finally:
        await engine.dispose()


async def settle_notebooks(url: str) -> None:
    """The restored rows name containers of the engine the backup came from: forget them.
    A notebook that was meant to run is pending again, so the worker's first reconcile
    starts it; one that was stopped is stopped."""
    engine = make_engine(url)
    gone = {"container_id": None, "host_port": None, "upstream_host": None, "health": None}
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(Notebook)
                .where(col(Notebook.desired_state) == DesiredState.running)
                .values(
                    **gone,
                    status=Status.pending,
                    status_reason=RESTORED_REASON,
                    generation=col(Notebook.generation) + 1,
                    version=col(Notebook.version) + 1,
                )
            )
            await connection.execute(
                update(Notebook)
                .where(
                    col(Notebook.desired_state) == DesiredState.stopped,
                    col(Notebook.status).not_in(AT_REST),
                )
                .values(**gone, status=Status.stopped, version=col(Notebook.version) + 1)
            )
            await connection.execute(update(Notebook).values(**gone))
    finally:
        await engine.dispose()
