"""Changing todos: create, partial update, move, delete one or many.

Each call takes the user's order lock, commits once, then publishes its live events
(see `app.services.todos.events` for their forms).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from redis.asyncio import Redis
from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Invalid
from app.core.time import utcnow
from app.live.events import Event, event, publish
from app.models.todo import (
    Todo,
    TodoCreate,
    TodoFilters,
    TodoMove,
    TodoPublic,
    TodosDeleted,
    TodoUpdate,
)
from app.models.todo_fields import tag_key
from app.models.user import User
from app.services.todos import tags as tag_service
from app.services.todos.events import OrderChange, order_events
from app.services.todos.lists import check_list_id
from app.services.todos.order import arrange, close_gaps, list_size, lock_todo_order, place
from app.services.todos.queries import (
    TodoUrl,
    conditions,
    load_public,
    owned_todo,
    start_of_day,
    to_public,
)


def search_text(title: str, notes: str) -> str:
    """What `q=` searches: title and notes, case-folded."""
    return f"{title}\n{notes}".casefold()


def due_columns(due: date | datetime | None) -> tuple[datetime | None, bool]:
    """A date is stored as the start of its day (UTC) with the all-day flag."""
    if due is None:
        return None, False
    if isinstance(due, datetime):
        return due.astimezone(UTC), False
    return start_of_day(due), True


def _user_id(user: User) -> int:
    assert user.id is not None
    return user.id


async def _publish(
    redis: Redis,
    user_id: int,
    action: Literal["created", "updated"],
    public: TodoPublic,
    changes: list[OrderChange],
    tag_events: list[Event],
) -> None:
    """Tags it created, the todo in full, then the siblings it pushed around, compactly."""
    data = public.model_dump(mode="json")
    main = event(user_id, "todo", action, public.id, version=public.version, data=data)
    siblings = order_events(user_id, changes, skip=public.id)
    await publish(redis, *tag_events, main, *siblings)


async def create_todo(
    db: AsyncSession, redis: Redis, user: User, body: TodoCreate, url_for: TodoUrl
) -> TodoPublic:
    """At the end of its list, or at `order` (clamped) pushing the others down."""
    user_id = _user_id(user)
    await lock_todo_order(db, user_id)
    await check_list_id(db, user_id, body.list_id)
    tags, created = await tag_service.resolve(db, user_id, body.tags)
    now = utcnow()
    due_at, all_day = due_columns(body.due)
    todo = Todo(
        user_id=user_id,
        list_id=body.list_id,
        title=body.title,
        notes=body.notes,
        search_text=search_text(body.title, body.notes),
        completed=body.completed,
        completed_at=now if body.completed else None,
        due_at=due_at,
        due_all_day=all_day,
        priority=body.priority.value,
        order=await list_size(db, user_id, body.list_id),
        created_at=now,
        updated_at=now,
    )
    db.add(todo)
    await db.flush()
    assert todo.id is not None
    changes: list[OrderChange] = []
    if body.order is not None:
        changes = await arrange(db, user_id, body.list_id, place=todo, position=body.order)
    await tag_service.set_todo_tags(db, todo.id, tags, new=True)
    await db.commit()
    public = to_public(todo, tag_service.sort_names(t.name for t in tags), url_for)
    tag_events = tag_service.created_events(user_id, tags, created)
    await _publish(redis, user_id, "created", public, changes, tag_events)
    return public


async def get_todo(db: AsyncSession, user: User, todo_id: int, url_for: TodoUrl) -> TodoPublic:
    return await load_public(db, await owned_todo(db, _user_id(user), todo_id), url_for)


async def update_todo(
    db: AsyncSession, redis: Redis, user: User, todo_id: int, body: TodoUpdate, url_for: TodoUrl
) -> TodoPublic:
    """Partial: only the fields sent change; a todo that did not change keeps its version."""
    user_id = _user_id(user)
    await lock_todo_order(db, user_id)
    todo = await owned_todo(db, user_id, todo_id)
    sent, now = body.model_fields_set, utcnow()
    before = (todo.title, todo.notes, todo.completed, todo.due_at, todo.due_all_day, todo.priority)
    if body.title is not None:
        todo.title = body.title
    if "notes" in sent:
        todo.notes = body.notes or ""
    todo.search_text = search_text(todo.title, todo.notes)
    if body.completed is not None and body.completed != todo.completed:
        todo.completed, todo.completed_at = body.completed, now if body.completed else None
    if "due" in sent:
        todo.due_at, todo.due_all_day = due_columns(body.due)
    if body.priority is not None:
        todo.priority = body.priority.value
    after = (todo.title, todo.notes, todo.completed, todo.due_at, todo.due_all_day, todo.priority)
    changed = after != before
    tag_events: list[Event] = []
    if body.tags is not None:
        retagged, tag_events = await _retag(db, user_id, todo_id, body.tags)
        changed = changed or retagged
    changes: list[OrderChange] = []
    if "list_id" in sent or body.order is not None:
        target = body.list_id if "list_id" in sent else todo.list_id
        if target != todo.list_id or body.order is not None:
            await check_list_id(db, user_id, target)
            where = (todo.list_id, todo.order)
            changes = await place(db, user_id, todo, target, body.order)
            changed = changed or bool(changes) or where != (todo.list_id, todo.order)
    if changed:
        todo.version += 1
        todo.updated_at = now
        db.add(todo)
    await db.commit()
    public = await load_public(db, todo, url_for)
    if changed:
        await _publish(redis, user_id, "updated", public, changes, tag_events)
    return public


async def _retag(
    db: AsyncSession, user_id: int, todo_id: int, names: list[str]
) -> tuple[bool, list[Event]]:
    """Give a todo exactly these tags: did they change, and the events of tags created."""
    current = (await tag_service.names_by_todo(db, [todo_id])).get(todo_id, [])
    if {tag_key(n) for n in current} == {tag_key(n) for n in names}:
        return False, []
    tags, created = await tag_service.resolve(db, user_id, names)
    await tag_service.set_todo_tags(db, todo_id, tags)
    return True, tag_service.created_events(user_id, tags, created)


async def move_todo(
    db: AsyncSession, redis: Redis, user: User, todo_id: int, body: TodoMove, url_for: TodoUrl
) -> TodoPublic:
    """To `position` (clamped) of its list, or of `list_id` when sent."""
    user_id = _user_id(user)
    await lock_todo_order(db, user_id)
    todo = await owned_todo(db, user_id, todo_id)
    target = body.list_id if "list_id" in body.model_fields_set else todo.list_id
    await check_list_id(db, user_id, target)
    where = (todo.list_id, todo.order)
    changes = await place(db, user_id, todo, target, body.position)
    moved = bool(changes) or where != (todo.list_id, todo.order)
    if moved:
        todo.version += 1
        todo.updated_at = utcnow()
        db.add(todo)
    await db.commit()
    public = await load_public(db, todo, url_for)
    if moved:
        await _publish(redis, user_id, "updated", public, changes, [])
    return public


async def delete_todo(db: AsyncSession, redis: Redis, user: User, todo_id: int) -> None:
    user_id = _user_id(user)
    await lock_todo_order(db, user_id)
    todo = await owned_todo(db, user_id, todo_id)
    list_id, version = todo.list_id, todo.version
    await db.delete(todo)  # its tag links go by cascade
    await db.flush()
    changes = await arrange(db, user_id, list_id)
    await db.commit()
    gone = event(user_id, "todo", "deleted", todo_id, version=version + 1)
    await publish(redis, gone, *order_events(user_id, changes))


async def delete_todos(
    db: AsyncSession, redis: Redis, user: User, filters: TodoFilters
) -> TodosDeleted:
    """Every todo matching the filters (at least one, so nobody wipes all by accident)."""
    if filters.is_empty():
        raise Invalid("give at least one filter, e.g. completed=true")
    user_id = _user_id(user)
    await lock_todo_order(db, user_id)
    result = await db.exec(
        delete(Todo)
        .where(*conditions(user_id, filters, utcnow()))
        .returning(col(Todo.id), col(Todo.list_id), col(Todo.version))
        .execution_options(synchronize_session=False)
    )
    gone = result.all()
    changes = await close_gaps(db, user_id, {list_id for _, list_id, _ in gone})
    await db.commit()
    events = [event(user_id, "todo", "deleted", i, version=v + 1) for i, _, v in gone]
    await publish(redis, *events, *order_events(user_id, changes))
    return TodosDeleted(deleted=len(gone))
