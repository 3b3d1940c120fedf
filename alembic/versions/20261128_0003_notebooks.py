"""notebooks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 19:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notebooks",
        sa.Column("image", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("cpus", sa.Float(), nullable=False),
        sa.Column("memory_mb", sa.Integer(), nullable=False),
        sa.Column("env", sa.JSON(), nullable=False),
        sa.Column("keep_volume", sa.Boolean(), nullable=False),
        sa.Column("idle_timeout_minutes", sa.Float(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("desired_state", sa.String(length=16), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("health", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("container_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("host_port", sa.Integer(), nullable=True),
        sa.Column("jupyter_token", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("purge_volume", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_activity_at", app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "name", name="uq_notebooks_owner_name"),
    )
    with op.batch_alter_table("notebooks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notebooks_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notebooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notebooks_owner_id"))
    op.drop_table("notebooks")
