"""Tags. Todos carry them by name (`tags: ["work"]`); unknown names are created on the fly."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, status

from app.api.deps import CurrentUser, RedisDep, SessionDep
from app.models.tag import TagCreate, TagPublic, TagsPublic, TagUpdate
from app.models.types import MAX_ID
from app.services.todos import tags

router = APIRouter(prefix="/tags", tags=["tags"])

TagId = Annotated[int, Path(ge=1, le=MAX_ID, description="A tag's id.")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such tag (or another user's)"}
}
_TAKEN: dict[int | str, dict[str, Any]] = {
    409: {"description": "The user has a tag of that name already (ignoring case)"}
}


@router.get("", response_model=TagsPublic)
async def list_tags(user: CurrentUser, db: SessionDep) -> TagsPublic:
    """The user's tags by name, with how many todos carry each."""
    return await tags.list_tags(db, user)


@router.post("", response_model=TagPublic, status_code=status.HTTP_201_CREATED, responses=_TAKEN)
async def create_tag(
    body: TagCreate, user: CurrentUser, db: SessionDep, redis: RedisDep
) -> TagPublic:
    return await tags.create_tag(db, redis, user, body)


@router.get("/{tag_id}", response_model=TagPublic, responses=_NOT_FOUND)
async def get_tag(tag_id: TagId, user: CurrentUser, db: SessionDep) -> TagPublic:
    return await tags.get_tag(db, user, tag_id)


@router.patch("/{tag_id}", response_model=TagPublic, responses=_NOT_FOUND | _TAKEN)
async def update_tag(
    tag_id: TagId, body: TagUpdate, user: CurrentUser, db: SessionDep, redis: RedisDep
) -> TagPublic:
    """Rename (the todos carrying it show the new name) or recolor a tag."""
    return await tags.update_tag(db, redis, user, tag_id, body)


@router.delete("/{tag_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_NOT_FOUND)
async def delete_tag(tag_id: TagId, user: CurrentUser, db: SessionDep, redis: RedisDep) -> None:
    """Delete a tag; it disappears from the todos that carried it."""
    await tags.delete_tag(db, redis, user, tag_id)
