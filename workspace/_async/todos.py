"""Todos, lists and tags."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from workspace.models import (
    TagCreate,
    TagPublic,
    TagsPublic,
    TagUpdate,
    TodoCreate,
    TodoListCreate,
    TodoListDeleted,
    TodoListPublic,
    TodoListsPublic,
    TodoListUpdate,
    TodoPublic,
    TodoQuickAdd,
    TodosDeleted,
    TodosPublic,
    TodoUpdate,
)

if TYPE_CHECKING:
    from workspace._async.client import AsyncClient

ListRef = int | Literal["inbox"]
# Spelled out here: inside the classes below, `list` is a method.
Names = list[str]
# A string is sent as it is, for the api to read (and name the field if it cannot).
Due = date | datetime | str
Changes = BaseModel | Mapping[str, Any]


def filters(
    *,
    list_id: ListRef | None = None,
    completed: bool | None = None,
    tag: Names | None = None,
    due_before: Due | None = None,
    due_after: Due | None = None,
    overdue: bool | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """The query of `GET /api/todos` (and of the bulk delete): only the filters given."""
    values: dict[str, Any] = {
        "list_id": list_id,
        "completed": completed,
        "tag": tag or None,
        "due_before": due_before,
        "due_after": due_after,
        "overdue": overdue,
        "q": q,
    }
    params: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, date):  # a datetime too
            params[name] = value.isoformat()
        elif value is not None:
            params[name] = value
    return params


def _body(changes: Changes) -> dict[str, Any]:
    """Only what was set: a PATCH changes the fields sent, and null clears."""
    if isinstance(changes, BaseModel):
        return changes.model_dump(mode="json", exclude_unset=True)
    return dict(changes)


class AsyncTodos:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(
        self,
        *,
        list_id: ListRef | None = None,
        completed: bool | None = None,
        tag: Names | None = None,
        due_before: Due | None = None,
        due_after: Due | None = None,
        overdue: bool | None = None,
        q: str | None = None,
        sort: str = "order",
        limit: int = 50,
        offset: int = 0,
    ) -> TodosPublic:
        """One page of the todos matching every filter given; `count` is the total."""
        params = filters(
            list_id=list_id,
            completed=completed,
            tag=tag,
            due_before=due_before,
            due_after=due_after,
            overdue=overdue,
            q=q,
        )
        params |= {"sort": sort, "limit": limit, "offset": offset}
        return await self._client.call(TodosPublic, "GET", "/api/todos", params=params)

    async def get(self, todo_id: int) -> TodoPublic:
        return await self._client.call(TodoPublic, "GET", f"/api/todos/{todo_id}")

    async def create(self, todo: TodoCreate | Mapping[str, Any]) -> TodoPublic:
        """A mapping is sent as it is, for the api to check (a 422 names the field)."""
        return await self._client.call(TodoPublic, "POST", "/api/todos", json=_body(todo))

    async def quick_add(
        self, text: str, *, list_id: int | None = None, today: date | None = None
    ) -> TodoPublic:
        """A todo from one line: `"Buy milk #home !high due:tomorrow"` (parsed by the api);
        `today` defaults to this machine's local date."""
        body = TodoQuickAdd(text=text, list_id=list_id, today=today or date.today())
        return await self._client.call(
            TodoPublic, "POST", "/api/todos/quick-add", json=body.model_dump(mode="json")
        )

    async def update(self, todo_id: int, changes: TodoUpdate | Mapping[str, Any]) -> TodoPublic:
        return await self._client.call(
            TodoPublic, "PATCH", f"/api/todos/{todo_id}", json=_body(changes)
        )

    async def move(
        self, todo_id: int, position: int, *, list_id: ListRef | None = None
    ) -> TodoPublic:
        """To `position` (0-based) in its own list, or in `list_id` ("inbox": the Inbox)."""
        body: dict[str, Any] = {"position": position}
        if list_id is not None:
            body["list_id"] = None if list_id == "inbox" else list_id
        return await self._client.call(TodoPublic, "POST", f"/api/todos/{todo_id}/move", json=body)

    async def delete(self, todo_id: int) -> None:
        await self._client.request("DELETE", f"/api/todos/{todo_id}")

    async def delete_many(
        self,
        *,
        list_id: ListRef | None = None,
        completed: bool | None = None,
        tag: Names | None = None,
        overdue: bool | None = None,
        q: str | None = None,
    ) -> TodosDeleted:
        """Every todo matching the filters (at least one: the api refuses none)."""
        params = filters(list_id=list_id, completed=completed, tag=tag, overdue=overdue, q=q)
        return await self._client.call(TodosDeleted, "DELETE", "/api/todos", params=params)


class AsyncLists:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self) -> TodoListsPublic:
        return await self._client.call(TodoListsPublic, "GET", "/api/lists")

    async def create(self, name: str, *, color: str | None = None) -> TodoListPublic:
        body = TodoListCreate(name=name, **({"color": color} if color else {}))
        return await self._client.call(TodoListPublic, "POST", "/api/lists", json=_body(body))

    async def update(
        self, list_id: int, changes: TodoListUpdate | Mapping[str, Any]
    ) -> TodoListPublic:
        return await self._client.call(
            TodoListPublic, "PATCH", f"/api/lists/{list_id}", json=_body(changes)
        )

    async def delete(
        self, list_id: int, *, todos: Literal["move", "delete"] = "move"
    ) -> TodoListDeleted:
        return await self._client.call(
            TodoListDeleted, "DELETE", f"/api/lists/{list_id}", params={"todos": todos}
        )

    async def find(self, name: str) -> TodoListPublic | None:
        """The list of that name (case-insensitive), if there is one."""
        for item in (await self.list()).data:
            if item.name.casefold() == name.strip().casefold():
                return item
        return None


class AsyncTags:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self) -> TagsPublic:
        return await self._client.call(TagsPublic, "GET", "/api/tags")

    async def create(self, name: str, *, color: str | None = None) -> TagPublic:
        body = TagCreate(name=name, **({"color": color} if color else {}))
        return await self._client.call(TagPublic, "POST", "/api/tags", json=_body(body))

    async def update(self, tag_id: int, changes: TagUpdate | Mapping[str, Any]) -> TagPublic:
        return await self._client.call(
            TagPublic, "PATCH", f"/api/tags/{tag_id}", json=_body(changes)
        )

    async def delete(self, tag_id: int) -> None:
        await self._client.request("DELETE", f"/api/tags/{tag_id}")
