"""The audit log: one row per administrative action, kept when its actor is deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.types import UTCDateTime


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # SET NULL: the entry outlives its actor; `actor` keeps the name they had.
    actor_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    target: str = Field(max_length=200)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AuditEntryPublic(SQLModel):
    id: int
    created_at: datetime
    actor_id: int | None
    actor: str
    action: str
    target: str
    details: dict[str, Any]


class AuditPage(SQLModel):
    data: list[AuditEntryPublic]
    count: int
