"""Live events of the todo manager (topics `todo`, `list`, `tag`), published after commit.

The forms a client receives (see `app.live.events.Event`):

- `created` / `updated` with `data` = the public JSON of the object as it is now
  (`TodoPublic`, `TodoListPublic`, `TagPublic`).
- `updated` with `data = {"id": ..., "partial": true, <some TodoPublic fields>}`: a side effect
  on a todo that was not the request's target, sent compactly. Merge those keys into the todo.
  Used for the siblings renumbered by a move, create or delete (`order`, `list_id`), the todos
  of a deleted list moved to the Inbox (`list_id`, `order`), and the todos of a renamed or
  deleted tag (`tags`). `version` is the todo's new version, as always.
- `deleted` with `data = None`, `version` = the object's last version + 1. A bulk delete sends
  one event per todo; a list deleted with `todos=delete` sends one per todo too.
  A deleted list's event carries `TodoListDeleted` as data (`{id, todos_moved, todos_deleted}`).

Lists and tags have no version: their events carry `version = None`. Their counts
(`todo_count`, `open_count`) change with the todos without an event of their own.

They are published after commit, by `app.live.events.publish` and its policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.live.events import Event, event


@dataclass(frozen=True, slots=True)
class OrderChange:
    """A todo whose position changed as a side effect; `version` is its new version."""

    id: int
    list_id: int | None
    order: int
    version: int


def partial(user_id: int, todo_id: int, version: int, **fields: Any) -> Event:
    data = {"id": todo_id, "partial": True, **fields}
    return event(user_id, "todo", "updated", todo_id, version=version, data=data)


def order_events(
    user_id: int, changes: Sequence[OrderChange], *, skip: int | None = None
) -> list[Event]:
    return [
        partial(user_id, c.id, c.version, list_id=c.list_id, order=c.order)
        for c in changes
        if c.id != skip
    ]
