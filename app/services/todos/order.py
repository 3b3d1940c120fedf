"""Todo positions: `order` is always 0..n-1 within a user's list (or Inbox), in one transaction.

Every change that moves todos in or out of a list first calls `lock_todo_order`, so two
requests of the same user never renumber at once: PostgreSQL locks the user's row, SQLite
takes its (database-wide) write lock. Then `arrange` reads the list in order, puts a todo at
its position, and writes back only the rows whose position changed (their version +1).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, bindparam
from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.todo import Todo
from app.models.types import MAX_ID
from app.models.user import User
from app.services.todos.events import OrderChange

END = MAX_ID  # a position past any list's end


async def lock_todo_order(db: AsyncSession, user_id: int) -> None:
    """Serialise this user's order changes until the transaction ends."""
    if db.get_bind().dialect.name == "sqlite":
        # pysqlite opens the transaction at the first write: a write that matches no row
        # takes the write lock now, so what we read next stays true until commit.
        await db.exec(update(Todo).where(col(Todo.id) == 0).values(order=0))
    else:
        await db.exec(select(User.id).where(col(User.id) == user_id).with_for_update())


def in_list(list_id: int | None) -> ColumnElement[bool]:
    return col(Todo.list_id).is_(None) if list_id is None else col(Todo.list_id) == list_id


async def list_size(db: AsyncSession, user_id: int, list_id: int | None) -> int:
    query = select(func.count()).where(col(Todo.user_id) == user_id, in_list(list_id))
    return int((await db.exec(query)).one())


async def arrange(
    db: AsyncSession,
    user_id: int,
    list_id: int | None,
    *,
    place: Todo | None = None,
    position: int = END,
) -> list[OrderChange]:
    """Renumber a list densely, keeping its sequence; `place` goes to `position` (clamped).

    `place` (already in this list, pending changes flushed or not) gets its new `order` set on
    the object; the caller bumps its version. The other todos are updated here.
    """
    rows = (
        await db.exec(
            select(Todo.id, Todo.order, Todo.version)
            .where(col(Todo.user_id) == user_id, in_list(list_id))
            .order_by(col(Todo.order), col(Todo.id))
        )
    ).all()
    placed_id = place.id if place is not None else None
    current: dict[int, tuple[int, int]] = {
        row[0]: (row[1], row[2]) for row in rows if row[0] is not None and row[0] != placed_id
    }
    sequence: list[int | None] = list(current)
    if place is not None:
        sequence.insert(min(position, len(sequence)), placed_id)
    changes: list[OrderChange] = []
    for index, todo_id in enumerate(sequence):
        if todo_id is None or todo_id == placed_id:
            if place is not None:
                place.order = index
            continue
        order, version = current[todo_id]
        if order != index:
            changes.append(OrderChange(todo_id, list_id, index, version + 1))
    await _write(db, changes)
    return changes


async def append_to_inbox(db: AsyncSession, user_id: int, list_id: int) -> list[OrderChange]:
    """Move every todo of a list to the end of the Inbox, in their order."""
    start = await list_size(db, user_id, None)
    rows = (
        await db.exec(
            select(Todo.id, Todo.version)
            .where(col(Todo.user_id) == user_id, col(Todo.list_id) == list_id)
            .order_by(col(Todo.order), col(Todo.id))
        )
    ).all()
    changes = [
        OrderChange(todo_id, None, start + index, version + 1)
        for index, (todo_id, version) in enumerate(rows)
        if todo_id is not None
    ]
    await _write(db, changes, move=True)
    return changes


async def close_gaps(
    db: AsyncSession, user_id: int, list_ids: Iterable[int | None]
) -> list[OrderChange]:
    """After todos left these lists (deleted or moved away)."""
    changes: list[OrderChange] = []
    for list_id in sorted(set(list_ids), key=lambda i: -1 if i is None else i):
        changes += await arrange(db, user_id, list_id)
    return changes


async def _write(db: AsyncSession, changes: list[OrderChange], *, move: bool = False) -> None:
    if not changes:
        return
    table = Todo.__table__  # type: ignore[attr-defined]
    values: dict[str, Any] = {"order": bindparam("new_order"), "version": bindparam("new_version")}
    if move:
        values["list_id"] = bindparam("new_list_id")
    statement = update(table).where(table.c.id == bindparam("todo_id")).values(**values)
    params = [
        {
            "todo_id": c.id,
            "new_order": c.order,
            "new_version": c.version,
            "new_list_id": c.list_id,
        }
        for c in changes
    ]
    await db.exec(statement, params=params)


async def place(
    db: AsyncSession, user_id: int, todo: Todo, list_id: int | None, position: int | None
) -> list[OrderChange]:
    """Put a todo at `position` of a list (default: its end), closing the gap it leaves."""
    old_list = todo.list_id
    todo.list_id = list_id
    changes = await arrange(
        db, user_id, list_id, place=todo, position=END if position is None else position
    )
    if old_list != list_id:
        changes += await arrange(db, user_id, old_list)
    return changes
