"""Tags: per-user labels on todos (many-to-many), unique by name ignoring case."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.todo_fields import DEFAULT_TAG_COLOR, Color, TagName, reject_null
from app.models.types import UTCDateTime


class Tag(SQLModel, table=True):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("user_id", "name_key", name="uq_tags_user_id_name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    # As the user first wrote it; `name_key` (case-folded) is what must be unique.
    name: str = Field(max_length=40)
    name_key: str = Field(max_length=160)
    color: str = Field(default=DEFAULT_TAG_COLOR, max_length=7)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TodoTag(SQLModel, table=True):
    """The link table between todos and tags."""

    __tablename__ = "todo_tags"

    todo_id: int = Field(foreign_key="todos.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tags.id", ondelete="CASCADE", primary_key=True, index=True)


class TagCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: TagName = Field(description="Trimmed, at most 40 characters, no commas.")
    color: Color = DEFAULT_TAG_COLOR


class TagUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: TagName | None = None
    color: Color | None = None

    _not_null = field_validator("name", "color")(reject_null)


class TagPublic(SQLModel):
    id: int
    name: str
    color: str
    todo_count: int


class TagsPublic(SQLModel):
    data: list[TagPublic]
    count: int
