"""Todo lists (projects). Todos without a list are in the Inbox (`list_id` null)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from app.api.deps import CurrentUser, RedisDep, SessionDep
from app.models.todo_list import (
    DeleteMode,
    TodoListCreate,
    TodoListDeleted,
    TodoListPublic,
    TodoListsPublic,
    TodoListUpdate,
)
from app.models.types import MAX_ID
from app.services.todos import lists

router = APIRouter(prefix="/lists", tags=["lists"])

ListId = Annotated[int, Path(ge=1, le=MAX_ID, description="A list's id.")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such list (or another user's)"}
}
_TAKEN: dict[int | str, dict[str, Any]] = {
    409: {"description": "The user has a list of that name already"}
}


@router.get("", response_model=TodoListsPublic)
async def list_lists(user: CurrentUser, db: SessionDep) -> TodoListsPublic:
    """The user's lists in creation order, with their todo counts."""
    return await lists.list_lists(db, user)


@router.post(
    "", response_model=TodoListPublic, status_code=status.HTTP_201_CREATED, responses=_TAKEN
)
async def create_list(
    body: TodoListCreate, user: CurrentUser, db: SessionDep, redis: RedisDep
) -> TodoListPublic:
    return await lists.create_list(db, redis, user, body)


@router.get("/{list_id}", response_model=TodoListPublic, responses=_NOT_FOUND)
async def get_list(list_id: ListId, user: CurrentUser, db: SessionDep) -> TodoListPublic:
    return await lists.get_list(db, user, list_id)


@router.patch("/{list_id}", response_model=TodoListPublic, responses=_NOT_FOUND | _TAKEN)
async def update_list(
    list_id: ListId, body: TodoListUpdate, user: CurrentUser, db: SessionDep, redis: RedisDep
) -> TodoListPublic:
    return await lists.update_list(db, redis, user, list_id, body)


@router.delete("/{list_id}", response_model=TodoListDeleted, responses=_NOT_FOUND)
async def delete_list(
    list_id: ListId,
    user: CurrentUser,
    db: SessionDep,
    redis: RedisDep,
    todos: Annotated[
        DeleteMode,
        Query(description="`move` (default): to the end of the Inbox; `delete`: with the list."),
    ] = "move",
) -> TodoListDeleted:
    """Delete a list, and decide what becomes of its todos with `?todos=`:

    - `move` (the default): they go to the Inbox (no list), after the todos already there,
      keeping their order;
    - `delete`: they are deleted with the list.

    Answers `200` with `{id, todos_moved, todos_deleted}`: how many todos were moved to the
    Inbox and how many were deleted (one of the two is 0).
    """
    return await lists.delete_list(db, redis, user, list_id, todos)
