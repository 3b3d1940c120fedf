"""Reading todos: the filters and sorts of `GET /api/todos`, and the public shape of a todo.

A page is one query whatever its size: the todos, the total count as a window function, and
each todo's tag names aggregated by a subquery (joined by commas, which tag names cannot
hold); PostgreSQL runs that subquery only for the rows of the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, case, false, not_, or_, true
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from app.core.errors import NotFound
from app.core.time import utcnow
from app.models.tag import Tag, TodoTag
from app.models.todo import (
    PRIORITY_RANK,
    Priority,
    Todo,
    TodoFilters,
    TodoPublic,
    TodoQuery,
    TodosPublic,
)
from app.models.todo_fields import tag_key
from app.services.todos.tags import names_by_todo, sort_names

TodoUrl = Callable[[int], str]
"""Builds a todo's absolute URL from its id (the api layer knows the request's base)."""

PUBLIC_COLUMNS = (
    col(Todo.id),
    col(Todo.list_id),
    col(Todo.title),
    col(Todo.notes),
    col(Todo.completed),
    col(Todo.completed_at),
    col(Todo.due_at),
    col(Todo.due_all_day),
    col(Todo.priority),
    col(Todo.order),
    col(Todo.version),
    col(Todo.created_at),
    col(Todo.updated_at),
)


class TodoLike(Protocol):
    """A `Todo` row or object: what the public shape is made of."""

    @property
    def id(self) -> int | None: ...
    @property
    def list_id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def completed(self) -> bool: ...
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def due_all_day(self) -> bool: ...
    @property
    def priority(self) -> str: ...
    @property
    def order(self) -> int: ...
    @property
    def version(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...


def to_public(todo: TodoLike, tags: list[str], url_for: TodoUrl) -> TodoPublic:
    assert todo.id is not None
    due: date | datetime | None = todo.due_at
    if todo.due_at is not None and todo.due_all_day:
        due = todo.due_at.date()
    return TodoPublic(
        id=todo.id,
        list_id=todo.list_id,
        title=todo.title,
        notes=todo.notes,
        completed=todo.completed,
        completed_at=todo.completed_at,
        due=due,
        priority=Priority(todo.priority),
        tags=tags,
        order=todo.order,
        version=todo.version,
        created_at=todo.created_at,
        updated_at=todo.updated_at,
        url=url_for(todo.id),
    )


async def load_public(db: AsyncSession, todo: Todo, url_for: TodoUrl) -> TodoPublic:
    assert todo.id is not None
    tags = await names_by_todo(db, [todo.id])
    return to_public(todo, tags.get(todo.id, []), url_for)


async def owned_todo(db: AsyncSession, user_id: int, todo_id: int) -> Todo:
    todo = await db.get(Todo, todo_id)
    if todo is None or todo.user_id != user_id:
        raise NotFound("todo not found")
    return todo


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Not completed and due in the past; a day is past once it ended (UTC). Never NULL."""
    due_at = col(Todo.due_at)
    return and_(
        col(Todo.completed) == false(),
        due_at.is_not(None),
        or_(
            and_(col(Todo.due_all_day) == false(), due_at < now),
            and_(col(Todo.due_all_day) == true(), due_at < start_of_day(now.date())),
        ),
    )


def conditions(user_id: int, filters: TodoFilters, now: datetime) -> list[ColumnElement[bool]]:
    where = [col(Todo.user_id) == user_id]
    if filters.list_id == "inbox":
        where.append(col(Todo.list_id).is_(None))
    elif filters.list_id is not None:
        where.append(col(Todo.list_id) == filters.list_id)
    if filters.completed is not None:
        where.append(col(Todo.completed) == (true() if filters.completed else false()))
    keys = sorted({tag_key(name) for name in filters.tag})
    if keys:  # todos carrying every one of these tags
        tagged = (
            select(col(TodoTag.todo_id))
            .join(Tag, col(Tag.id) == col(TodoTag.tag_id))
            .where(col(Tag.user_id) == user_id, col(Tag.name_key).in_(keys))
            .group_by(col(TodoTag.todo_id))
            .having(func.count() == len(keys))
        )
        where.append(col(Todo.id).in_(tagged))
    if filters.due_before is not None:
        bound = filters.due_before
        if isinstance(bound, datetime):
            where.append(col(Todo.due_at) <= bound)
        else:
            where.append(col(Todo.due_at) < start_of_day(bound + timedelta(days=1)))
    if filters.due_after is not None:
        bound = filters.due_after
        start = bound if isinstance(bound, datetime) else start_of_day(bound)
        where.append(col(Todo.due_at) >= start)
    if filters.overdue is not None:
        overdue = overdue_condition(now)
        where.append(overdue if filters.overdue else not_(overdue))
    if filters.search:
        needle = filters.search.casefold()
        where.append(col(Todo.search_text).contains(needle, autoescape=True))
    return where


def ordering(sort: str) -> list[Any]:
    """ORDER BY for a sort key; the id breaks ties, so pages never overlap."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")

    def way(expr: Any) -> Any:
        return expr.desc() if descending else expr.asc()

    columns: list[Any]
    if key == "order":  # the Inbox first, then the lists, each in its order
        list_id = way(col(Todo.list_id))
        columns = [list_id.nulls_last() if descending else list_id.nulls_first()]
        columns.append(way(col(Todo.order)))
    elif key == "due":  # todos without a due date last, both ways
        columns = [way(col(Todo.due_at)).nulls_last()]
    elif key == "priority":
        rank = case(
            {p.value: r for p, r in PRIORITY_RANK.items()}, value=col(Todo.priority), else_=0
        )
        columns = [way(rank)]
    elif key == "title":
        columns = [way(func.lower(col(Todo.title)))]
    else:
        columns = [way(col(getattr(Todo, key)))]
    return [*columns, way(col(Todo.id))]


def _page(user_id: int, query: TodoQuery, now: datetime) -> Select[*tuple[Any, ...]]:
    tag_names = (
        select(func.aggregate_strings(col(Tag.name), ","))
        .join(TodoTag, col(TodoTag.tag_id) == col(Tag.id))
        .where(col(TodoTag.todo_id) == col(Todo.id))
        .scalar_subquery()
    )
    # sqlmodel's select() is typed up to 4 columns; its Select takes any number.
    return (
        Select(*PUBLIC_COLUMNS, func.count().over().label("total"), tag_names.label("tag_names"))
        .where(*conditions(user_id, query, now))
        .order_by(*ordering(query.sort))
        .limit(query.limit)
        .offset(query.offset)
    )


async def count_todos(db: AsyncSession, user_id: int, filters: TodoFilters) -> int:
    query = select(func.count()).select_from(Todo).where(*conditions(user_id, filters, utcnow()))
    return (await db.exec(query)).one()


async def list_todos(
    db: AsyncSession, user_id: int, query: TodoQuery, url_for: TodoUrl
) -> TodosPublic:
    rows: Sequence[Any] = (await db.exec(_page(user_id, query, utcnow()))).all()
    if rows:
        total = int(rows[0].total)
    else:  # past the last page the window has no row to report the count on
        total = await count_todos(db, user_id, query) if query.offset else 0
    data = [
        to_public(row, sort_names(row.tag_names.split(",")) if row.tag_names else [], url_for)
        for row in rows
    ]
    return TodosPublic(data=data, count=total)
