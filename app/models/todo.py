"""Todos: the table, and the shapes of the API (create, partial update, public, filters)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, StrictBool, StringConstraints, field_validator, model_validator
from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.todo_fields import DbId, Due, ListRef, Position, TagName, reject_null
from app.models.types import UTCDateTime

TITLE_MAX = 200
NOTES_MAX = 20_000
TAGS_MAX = 50
QUICK_ADD_MAX = 400


class Priority(StrEnum):
    none = "none"
    low = "low"
    medium = "medium"
    high = "high"


# `sort=priority` goes from none to high, `-priority` from high to none.
PRIORITY_RANK = {Priority.none: 0, Priority.low: 1, Priority.medium: 2, Priority.high: 3}


class Todo(SQLModel, table=True):
    __tablename__ = "todos"
    __table_args__ = (
        # Serves "a user's todos of one list in order" (the default view) and the renumbering.
        Index("ix_todos_user_id_list_id_order", "user_id", "list_id", "order"),
        Index("ix_todos_user_id_due_at", "user_id", "due_at"),
        Index("ix_todos_user_id_updated_at", "user_id", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    # The services move a deleted list's todos themselves; SET NULL is the safety net.
    list_id: int | None = Field(
        default=None, foreign_key="todo_lists.id", ondelete="SET NULL", index=True
    )
    title: str = Field(max_length=TITLE_MAX)
    notes: str = Field(default="", sa_type=Text)
    # Case-folded title and notes, so `q=` is case-insensitive (Unicode too) on every database.
    search_text: str = Field(default="", sa_type=Text)
    completed: bool = False
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A date is stored as midnight UTC of that day, with `due_all_day` set.
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_all_day: bool = False
    priority: str = Field(default=Priority.none.value, max_length=6)
    # 0..n-1 within (user, list); the services keep it dense.
    order: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)]
Notes = Annotated[str, StringConstraints(max_length=NOTES_MAX)]
TagNames = Annotated[list[TagName], Field(max_length=TAGS_MAX)]


class TodoCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    title: Title
    notes: Notes = Field(default="", description="Markdown.")
    completed: StrictBool = False
    due: Due | None = None
    priority: Priority = Priority.none
    tags: TagNames = Field(default_factory=list, description="Tag names; unknown ones are created.")
    list_id: DbId | None = Field(default=None, description="null: the Inbox.")
    order: Position | None = Field(
        default=None, description="Position in the list; default: at the end."
    )


class TodoUpdate(SQLModel):
    """Partial: only the fields sent change; `due` and `list_id` are cleared with null."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    title: Title | None = None
    notes: Notes | None = Field(default=None, description="null clears the notes.")
    completed: StrictBool | None = None
    due: Due | None = None
    priority: Priority | None = None
    tags: TagNames | None = Field(default=None, description="Replaces the todo's tags.")
    list_id: DbId | None = Field(default=None, description="Moves the todo (to its end).")
    order: Position | None = Field(default=None, description="Moves the todo within its list.")

    _not_null = field_validator("title", "completed", "priority", "tags", "order")(reject_null)


class TodoQuickAdd(SQLModel):
    """One line in the quick-add syntax: `Buy milk #home !high due:tomorrow`."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    text: Annotated[str, StringConstraints(min_length=1, max_length=QUICK_ADD_MAX)] = Field(
        description="Words; `#tag`, `!high`/`!medium`/`!low` (or `!h`, `!m`, `!l`) and "
        "`due:today`, `due:tomorrow` or `due:YYYY-MM-DD` set those fields, the rest is the title."
    )
    list_id: DbId | None = Field(default=None, description="null: the Inbox.")
    today: date | None = Field(
        default=None,
        description="The client's local date, which `today` and `tomorrow` count from "
        "(default: today in UTC).",
    )


class TodoMove(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    position: Position = Field(description="0-based index in the target list; clamped.")
    list_id: DbId | None = Field(
        default=None, description="Target list (null: the Inbox); omitted: the todo's own list."
    )


class TodoPublic(SQLModel):
    id: int
    list_id: int | None
    title: str
    notes: str
    completed: bool
    completed_at: datetime | None
    due: Due | None
    priority: Priority
    tags: list[str] = Field(description="Tag names, sorted.")
    order: int
    version: int = Field(description="+1 on every change; live events carry it too.")
    created_at: datetime
    updated_at: datetime
    url: str = Field(description="This todo in the API.")


class TodosPublic(SQLModel):
    data: list[TodoPublic]
    count: int = Field(description="All todos matching the filters, not only this page.")


class TodoFilters(SQLModel):
    """The filters of `GET /api/todos`, also those of the bulk `DELETE /api/todos`."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    list_id: ListRef | None = None
    completed: bool | None = None
    tag: list[TagName] = Field(default_factory=list, description="Repeatable; all must match.")
    due_before: Due | None = Field(
        default=None, description="Due on or before (a date covers its whole day, UTC)."
    )
    due_after: Due | None = Field(
        default=None, description="Due on or after (a date from its start, UTC)."
    )
    overdue: bool | None = Field(
        default=None,
        description="Not completed and due in the past (a day is past once it ended, UTC).",
    )
    q: str | None = Field(
        default=None, max_length=200, description="Text in the title or notes, any case."
    )

    def is_empty(self) -> bool:
        return not (
            self.list_id is not None
            or self.completed is not None
            or self.tag
            or self.due_before is not None
            or self.due_after is not None
            or self.overdue is not None
            or self.search
        )

    @property
    def search(self) -> str:
        return (self.q or "").strip()


SortKey = Literal[
    "order", "due", "priority", "created_at", "updated_at", "title",
    "-order", "-due", "-priority", "-created_at", "-updated_at", "-title",
]  # fmt: skip


class TodoQuery(TodoFilters):
    """Filters plus sort and page: the query of `GET /api/todos`."""

    sort: SortKey = Field(
        default="order",
        description="A `-` prefix sorts descending; ties go by id, in the same direction. "
        "`order`: the Inbox first, then each list in its order; `due`: todos without one last; "
        "`priority`: none, low, medium, high.",
    )
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=2**31 - 1)


class TodosDeleted(SQLModel):
    deleted: int


def due_value(todo: Todo) -> date | datetime | None:
    if todo.due_at is None:
        return None
    return todo.due_at.date() if todo.due_all_day else todo.due_at


class TodoBulkFilters(TodoFilters):
    """The filters of the bulk delete: at least one is required."""

    @model_validator(mode="after")
    def _at_least_one(self) -> TodoBulkFilters:
        if self.is_empty():
            raise ValueError("give at least one filter, e.g. completed=true to clear completed")
        return self
