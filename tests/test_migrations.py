"""Migrations: SQLite never hands out an id twice, and the notebook-key migration keeps
every row (rebuilding `users` with foreign keys on would have deleted what refers to it)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config

from tests.support.databases import migrate
from tests.support.environment import ROOT


def alembic_to(url: str, revision: str) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, revision)


def integer_id_tables(db: sqlite3.Connection) -> dict[str, str]:
    """Our tables whose primary key is one INTEGER column that SQLite hands out: not a
    foreign key (that id comes from another table), and no full-text shadow table."""
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    tables = {}
    for name, sql in rows:
        if name in virtual or any(name.startswith(f"{v}_") for v in virtual):
            continue
        columns = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        keys = [c for c in columns if c[5]]  # (cid, name, type, notnull, default, pk)
        referencing = {fk[3] for fk in db.execute(f'PRAGMA foreign_key_list("{name}")')}
        if len(keys) == 1 and keys[0][2].upper() == "INTEGER" and keys[0][1] not in referencing:
            tables[name] = sql
    return tables


async def test_every_table_with_an_integer_id_never_reuses_one(sqlite_template: Path) -> None:
    db = sqlite3.connect(sqlite_template)
    try:
        tables = integer_id_tables(db)
        assert {"users", "notebooks", "sessions", "api_tokens"} <= set(tables)
        assert [name for name, sql in tables.items() if "AUTOINCREMENT" not in sql] == []
    finally:
        db.close()


async def test_a_deleted_highest_id_is_not_handed_out_again(tmp_path: Path) -> None:
    path = tmp_path / "ids.db"
    await asyncio.to_thread(migrate, f"sqlite+aiosqlite:///{path}")
    db = sqlite3.connect(path)
    try:
        insert = (
            "INSERT INTO users (username, password_hash, is_admin, created_at)"
            " VALUES (?, 'x', 0, '2026-01-01')"
        )
        first = db.execute(insert, ("alice",)).lastrowid
        db.execute("DELETE FROM users WHERE id = ?", (first,))
        second = db.execute(insert, ("bob",)).lastrowid
        db.commit()
    finally:
        db.close()
    assert second != first


async def test_the_key_migration_keeps_every_row_and_gives_each_notebook_a_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(alembic_to, url, "0003")
    db = sqlite3.connect(path)
    db.executescript(
        """
        INSERT INTO users (id, username, password_hash, is_admin, created_at)
            VALUES (1, 'alice', 'x', 0, '2026-01-01'), (2, 'bob', 'x', 0, '2026-01-01');
        INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
            VALUES ('h', 1, '2026-01-01', '2027-01-01');
        INSERT INTO todos (user_id, title, notes, search_text, completed, due_all_day,
                           priority, "order", version, created_at, updated_at)
            VALUES (2, 't', '', 't', 0, 0, 'none', 1, 1, '2026-01-01', '2026-01-01');
        INSERT INTO notebooks (id, owner_id, name, image, cpus, memory_mb, env, keep_volume,
                               idle_timeout_minutes, desired_state, generation, status,
                               version, container_id, host_port, jupyter_token,
                               purge_volume, created_at, updated_at)
            VALUES (3, 1, 'up', 'img', 1e-10, 256, '{}', 1, 0, 'running', 1, 'healthy', 4,
                    'c', 40001, 't', 0, '2026-01-01', '2026-01-01'),
                   (5, 2, 'down', 'img', 1, 256, '{}', 1, 0, 'stopped', 1, 'stopped', 2,
                    NULL, NULL, 't', 0, '2026-01-01', '2026-01-01');
        """
    )
    db.commit()
    db.close()
    await asyncio.to_thread(migrate, url)

    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM todos").fetchone() == (1,)
        rows = db.execute(
            "SELECT id, key, legacy_volume, status, container_id, host_port, cpus, version"
            " FROM notebooks ORDER BY id"
        ).fetchall()
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()
    (up, down) = rows
    assert len({up[1], down[1]}) == 2 and all(len(r[1]) == 32 for r in rows)
    # Meant to run: started afresh under its new name; its tiny CPU quota raised.
    assert up[0:1] + up[2:] == (3, 1, "pending", None, None, 0.1, 5)
    assert down[0:1] + down[2:] == (5, 1, "stopped", None, None, 1.0, 2)
