"""notebook keys; ids never reused on SQLite

Every notebook gets a random key, which names its Docker resources from now on. Existing
notebooks keep their files: `legacy_volume` tells the worker to copy the volume named
after the id into the key's volume at the next start. Notebooks that were meant to run
go back to `pending`, so the worker brings them up again under their new names.

On SQLite every table with an integer id is rebuilt as AUTOINCREMENT (env.py runs this
with foreign keys off, so rebuilding `users` cascades nothing).

Revision ID: 0005
Revises: 0005_credentials
Create Date: 2026-12-01 09:40:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0005_credentials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIN_CPUS = 0.1


# The tables made before AUTOINCREMENT was the rule (the blog's were made with it). Only
# these: a rebuild drops a table's triggers, and FTS shadow tables must stay as they are.
EARLIER_TABLES = (
    "users",
    "api_tokens",
    "sessions",
    "todo_lists",
    "tags",
    "todos",
    "notebooks",
    "audit_log",
)


def _without_autoincrement(bind: sa.engine.Connection) -> list[str]:
    found = []
    for table in EARLIER_TABLES:
        sql = bind.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": table},
        ).scalar()
        if sql is not None and "AUTOINCREMENT" not in sql.upper():
            found.append(table)
    return found


def upgrade() -> None:
    with op.batch_alter_table("notebooks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=32)))
        batch_op.add_column(
            sa.Column("upstream_host", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("legacy_volume", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    notebooks = sa.table(
        "notebooks",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("legacy_volume", sa.Boolean),
        sa.column("desired_state", sa.String),
        sa.column("status", sa.String),
        sa.column("status_reason", sa.String),
        sa.column("container_id", sa.String),
        sa.column("host_port", sa.Integer),
        sa.column("health", sa.String),
        sa.column("cpus", sa.Float),
        sa.column("version", sa.Integer),
    )
    bind = op.get_bind()
    for (notebook_id,) in bind.execute(sa.select(notebooks.c.id)).all():
        bind.execute(
            notebooks.update()
            .where(notebooks.c.id == notebook_id)
            .values(key=uuid.uuid4().hex, legacy_volume=True)
        )
    # Its container has the old name, which nothing follows any more: start it afresh.
    bind.execute(
        notebooks.update()
        .where(notebooks.c.desired_state == "running")
        .values(
            status="pending",
            status_reason="moving to its new name",
            container_id=None,
            host_port=None,
            health=None,
            version=notebooks.c.version + 1,
        )
    )
    # A quota below the minimum was accepted before; Docker took a tiny one as none at all.
    bind.execute(notebooks.update().where(notebooks.c.cpus < MIN_CPUS).values(cpus=MIN_CPUS))

    with op.batch_alter_table("notebooks", schema=None) as batch_op:
        batch_op.alter_column(
            "key", existing_type=sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False
        )
        batch_op.alter_column("legacy_volume", server_default=None)
        batch_op.create_index(batch_op.f("ix_notebooks_key"), ["key"], unique=True)

    # Last: any later batch operation on a table would rebuild it without AUTOINCREMENT.
    if bind.dialect.name == "sqlite":
        for table in _without_autoincrement(bind):
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass


def downgrade() -> None:
    with op.batch_alter_table("notebooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notebooks_key"))
        batch_op.drop_column("legacy_volume")
        batch_op.drop_column("upstream_host")
        batch_op.drop_column("key")
