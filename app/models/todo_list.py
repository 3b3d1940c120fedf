"""Todo lists (projects). Todos without a list are in the Inbox, which is not a row."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.todo_fields import DEFAULT_LIST_COLOR, Color, ListName, reject_null
from app.models.types import UTCDateTime


class TodoList(SQLModel, table=True):
    __tablename__ = "todo_lists"
    # The unique index also serves "this user's lists" (its first column is user_id).
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_todo_lists_user_id_name"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    name: str = Field(max_length=100)
    color: str = Field(default=DEFAULT_LIST_COLOR, max_length=7)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TodoListCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: ListName = Field(description="Unique among the user's lists (trimmed).")
    color: Color = DEFAULT_LIST_COLOR


class TodoListUpdate(SQLModel):
    """Partial: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: ListName | None = None
    color: Color | None = None

    _not_null = field_validator("name", "color")(reject_null)


class TodoListPublic(SQLModel):
    id: int
    name: str
    color: str
    created_at: datetime
    updated_at: datetime
    todo_count: int = Field(description="All todos in the list.")
    open_count: int = Field(description="Todos in the list not completed yet.")


class TodoListsPublic(SQLModel):
    data: list[TodoListPublic]
    count: int


DeleteMode = Literal["move", "delete"]


class TodoListDeleted(SQLModel):
    id: int
    todos_moved: int = Field(description="Todos moved to the Inbox (`todos=move`).")
    todos_deleted: int = Field(description="Todos deleted with the list (`todos=delete`).")
