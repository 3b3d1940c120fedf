"""Todos: list with filters, sort and pages; create; read; partial update; move; delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from redis.asyncio import Redis
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api.deps import CurrentUser, RedisDep, SessionDep
from app.core.time import utcnow
from app.models.todo import (
    TodoBulkFilters,
    TodoCreate,
    TodoMove,
    TodoPublic,
    TodoQuery,
    TodoQuickAdd,
    TodosDeleted,
    TodosPublic,
    TodoUpdate,
)
from app.models.types import MAX_ID
from app.services.todos import quick_add, todos
from app.services.todos.queries import TodoUrl
from app.services.todos.queries import list_todos as query_todos

router = APIRouter(prefix="/todos", tags=["todos"])

TodoId = Annotated[int, Path(ge=1, le=MAX_ID, description="A todo's id.")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such todo (or another user's)"}
}


async def get_todo_url(request: Request) -> TodoUrl:
    """Absolute URLs of todos, from the request's base (proxies and root path included)."""
    base = str(request.url_for("list_todos")).rstrip("/")
    return lambda todo_id: f"{base}/{todo_id}"


TodoUrlDep = Annotated[TodoUrl, Depends(get_todo_url)]


@dataclass(frozen=True, slots=True)
class TodoWrites:
    """What a change to a todo takes: the session, Redis (for its live event) and the URLs
    of the answer."""

    db: AsyncSession
    redis: Redis
    url_for: TodoUrl


async def get_todo_writes(db: SessionDep, redis: RedisDep, url_for: TodoUrlDep) -> TodoWrites:
    return TodoWrites(db, redis, url_for)


TodoWritesDep = Annotated[TodoWrites, Depends(get_todo_writes)]


@router.get("", response_model=TodosPublic)
async def list_todos(
    query: Annotated[TodoQuery, Query()], user: CurrentUser, db: SessionDep, url_for: TodoUrlDep
) -> TodosPublic:
    """The user's todos matching every filter given; `count` is the total, not the page."""
    assert user.id is not None
    return await query_todos(db, user.id, query, url_for)


# Both ways of adding a todo answer alike: 201, the todo, and its URL in Location.
_CREATED: dict[str, Any] = {
    "response_model": TodoPublic,
    "status_code": status.HTTP_201_CREATED,
    "responses": {201: {"headers": {"Location": {"description": "The new todo's URL"}}}},
}


@router.post("", **_CREATED)
async def create_todo(
    body: TodoCreate, response: Response, user: CurrentUser, writes: TodoWritesDep
) -> TodoPublic:
    """Unknown tag names are created; the todo goes to the end of its list unless `order`."""
    todo = await todos.create_todo(writes.db, writes.redis, user, body, writes.url_for)
    response.headers["Location"] = todo.url
    return todo


@router.post("/quick-add", **_CREATED)
async def quick_add_todo(
    body: TodoQuickAdd, response: Response, user: CurrentUser, writes: TodoWritesDep
) -> TodoPublic:
    """Create a todo from one line of the quick-add syntax (see `text`); a line that gives
    no title, or a tag that is too long, is a 422 on `text`."""
    today = body.today or utcnow().date()
    create = quick_add.to_create(body.text, today, body.list_id)
    todo = await todos.create_todo(writes.db, writes.redis, user, create, writes.url_for)
    response.headers["Location"] = todo.url
    return todo


@router.delete("", response_model=TodosDeleted)
async def delete_todos(
    filters: Annotated[TodoBulkFilters, Query()],
    user: CurrentUser,
    db: SessionDep,
    redis: RedisDep,
) -> TodosDeleted:
    """Delete every todo matching the filters (those of `GET /api/todos`).

    At least one filter is required (422 otherwise), so nothing is wiped by accident;
    `?completed=true` clears the completed todos. Positions are renumbered and one `deleted`
    live event is sent per todo.
    """
    return await todos.delete_todos(db, redis, user, filters)


@router.get("/{todo_id}", response_model=TodoPublic, responses=_NOT_FOUND)
async def get_todo(
    todo_id: TodoId, user: CurrentUser, db: SessionDep, url_for: TodoUrlDep
) -> TodoPublic:
    return await todos.get_todo(db, user, todo_id, url_for)


@router.patch("/{todo_id}", response_model=TodoPublic, responses=_NOT_FOUND)
async def update_todo(
    todo_id: TodoId, body: TodoUpdate, user: CurrentUser, writes: TodoWritesDep
) -> TodoPublic:
    """Partial update. `completed` sets or clears `completed_at`; `list_id` moves the todo to
    the end of that list (null: the Inbox); `due` and `list_id` are cleared with null."""
    return await todos.update_todo(writes.db, writes.redis, user, todo_id, body, writes.url_for)


@router.delete("/{todo_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_NOT_FOUND)
async def delete_todo(todo_id: TodoId, user: CurrentUser, db: SessionDep, redis: RedisDep) -> None:
    await todos.delete_todo(db, redis, user, todo_id)


@router.post("/{todo_id}/move", response_model=TodoPublic, responses=_NOT_FOUND)
async def move_todo(
    todo_id: TodoId, body: TodoMove, user: CurrentUser, writes: TodoWritesDep
) -> TodoPublic:
    """Place the todo at `position` (0-based, clamped to the end) among the todos of its list,
    or of `list_id` when given (null: the Inbox). Positions stay 0..n-1 in every list."""
    return await todos.move_todo(writes.db, writes.redis, user, todo_id, body, writes.url_for)
