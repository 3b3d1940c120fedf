"""Todo lists: CRUD with their counts, and deletion that moves or deletes their todos."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import false
from sqlalchemy.exc import IntegrityError
from sqlmodel import case, col, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from app.core.errors import Conflict, Invalid, NotFound
from app.core.time import utcnow
from app.live.events import Event, event, publish
from app.models.todo import Todo
from app.models.todo_list import (
    DeleteMode,
    TodoList,
    TodoListCreate,
    TodoListDeleted,
    TodoListPublic,
    TodoListsPublic,
    TodoListUpdate,
)
from app.models.user import User
from app.services.todos.events import order_events
from app.services.todos.order import append_to_inbox, lock_todo_order


async def _owned(db: AsyncSession, user: User, list_id: int) -> TodoList:
    todo_list = await db.get(TodoList, list_id)
    if todo_list is None or todo_list.user_id != user.id:
        raise NotFound("list not found")
    return todo_list


async def check_list_id(db: AsyncSession, user_id: int, list_id: int | None) -> None:
    """A todo's target list must be one of the user's: 422 on `list_id` otherwise."""
    if list_id is None:
        return
    owner = (await db.exec(select(TodoList.user_id).where(col(TodoList.id) == list_id))).first()
    if owner != user_id:
        raise Invalid(f"list {list_id} not found", field="list_id")


def _with_counts(user_id: int) -> Select[TodoList, int, int]:
    is_open = case((col(Todo.completed) == false(), 1), else_=0)
    counts = (
        select(
            col(Todo.list_id).label("list_id"),
            func.count().label("total"),
            func.sum(is_open).label("open"),
        )
        .where(col(Todo.user_id) == user_id, col(Todo.list_id).is_not(None))
        .group_by(col(Todo.list_id))
        .subquery()
    )
    return (
        select(TodoList, func.coalesce(counts.c.total, 0), func.coalesce(counts.c.open, 0))
        .outerjoin(counts, counts.c.list_id == col(TodoList.id))
        .where(col(TodoList.user_id) == user_id)
    )


def _public(todo_list: TodoList, total: int, open_: int) -> TodoListPublic:
    assert todo_list.id is not None
    return TodoListPublic(
        **todo_list.model_dump(include={"id", "name", "color", "created_at", "updated_at"}),
        todo_count=int(total),
        open_count=int(open_),
    )


async def _load_public(db: AsyncSession, user_id: int, list_id: int) -> TodoListPublic:
    row = (await db.exec(_with_counts(user_id).where(col(TodoList.id) == list_id))).one()
    return _public(*row)


async def list_lists(db: AsyncSession, user: User) -> TodoListsPublic:
    """The user's lists, in creation order."""
    assert user.id is not None
    rows = await db.exec(_with_counts(user.id).order_by(col(TodoList.id)))
    data = [_public(*row) for row in rows]
    return TodoListsPublic(data=data, count=len(data))


async def get_list(db: AsyncSession, user: User, list_id: int) -> TodoListPublic:
    assert user.id is not None
    await _owned(db, user, list_id)
    return await _load_public(db, user.id, list_id)


async def _save_name(db: AsyncSession, name: str) -> None:
    """Flush the list now: a name taken is a 409, not an error later."""
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise Conflict(f"a list named {name!r} exists already", field="name") from None


async def create_list(
    db: AsyncSession, redis: Redis, user: User, body: TodoListCreate
) -> TodoListPublic:
    assert user.id is not None
    todo_list = TodoList(user_id=user.id, name=body.name, color=body.color)
    db.add(todo_list)
    await _save_name(db, body.name)
    await db.commit()
    assert todo_list.id is not None
    public = _public(todo_list, 0, 0)
    data = public.model_dump(mode="json")
    await publish(redis, event(user.id, "list", "created", todo_list.id, data=data))
    return public


async def update_list(
    db: AsyncSession, redis: Redis, user: User, list_id: int, body: TodoListUpdate
) -> TodoListPublic:
    assert user.id is not None
    todo_list = await _owned(db, user, list_id)
    if body.name is not None:
        todo_list.name = body.name
    if body.color is not None:
        todo_list.color = body.color
    todo_list.updated_at = utcnow()
    db.add(todo_list)
    await _save_name(db, todo_list.name)
    await db.commit()
    public = await _load_public(db, user.id, list_id)
    data = public.model_dump(mode="json")
    await publish(redis, event(user.id, "list", "updated", list_id, data=data))
    return public


async def delete_list(
    db: AsyncSession, redis: Redis, user: User, list_id: int, mode: DeleteMode
) -> TodoListDeleted:
    """`move`: the list's todos go to the end of the Inbox; `delete`: they go with it."""
    assert user.id is not None
    todo_list = await _owned(db, user, list_id)
    await lock_todo_order(db, user.id)
    events: list[Event] = []
    moved = deleted = 0
    if mode == "move":
        changes = await append_to_inbox(db, user.id, list_id)
        moved = len(changes)
        events += order_events(user.id, changes)
    else:
        in_list = (col(Todo.user_id) == user.id, col(Todo.list_id) == list_id)
        gone = (await db.exec(select(Todo.id, Todo.version).where(*in_list))).all()
        await db.exec(delete(Todo).where(*in_list))  # their tag links go by cascade
        deleted = len(gone)
        events += [event(user.id, "todo", "deleted", i, version=v + 1) for i, v in gone if i]
    await db.delete(todo_list)
    await db.commit()
    result = TodoListDeleted(id=list_id, todos_moved=moved, todos_deleted=deleted)
    events.append(event(user.id, "list", "deleted", list_id, data=result.model_dump()))
    await publish(redis, *events)
    return result
