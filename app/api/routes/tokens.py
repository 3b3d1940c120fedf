"""Personal API tokens for scripts: the secret is shown once, stored hashed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, status

from app.api.deps import CurrentUser, RedisDep, SessionDep, id_path
from app.models.user import ApiTokenCreate, ApiTokenCreated, ApiTokenPublic
from app.services.accounts import sessions

router = APIRouter(prefix="/tokens", tags=["tokens"])
TokenId = Annotated[int, id_path("token")]


@router.post("", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED)
async def create_token(body: ApiTokenCreate, user: CurrentUser, db: SessionDep) -> ApiTokenCreated:
    return await sessions.create_token(db, user, body.name)


@router.get("", response_model=list[ApiTokenPublic])
async def list_tokens(user: CurrentUser, db: SessionDep) -> list[ApiTokenPublic]:
    return [ApiTokenPublic.model_validate(t) for t in await sessions.list_tokens(db, user)]


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(
    token_id: TokenId, user: CurrentUser, db: SessionDep, redis: RedisDep
) -> None:
    """The token stops working at once; WebSockets opened with it close within a second."""
    await sessions.revoke_token(db, redis, user, token_id)
