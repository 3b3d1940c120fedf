"""Personal API tokens for scripts: the secret is shown once, stored hashed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, status

from app.api.deps import (
    CurrentUser,
    FullAccess,
    RedisDep,
    SessionDep,
    SignedInDep,
    check_full_access,
    id_path,
)
from app.models.user import ApiTokenCreate, ApiTokenCreated, ApiTokenPublic
from app.services.accounts import tokens

router = APIRouter(prefix="/tokens", tags=["tokens"])
TokenId = Annotated[int, id_path("token")]
_FULL_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"description": "A token whose scope is not `full`"}
}


@router.post(
    "",
    response_model=ApiTokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses=_FULL_ONLY,
)
async def create_token(body: ApiTokenCreate, caller: FullAccess, db: SessionDep) -> ApiTokenCreated:
    """A new token; its secret is in this answer only. Needs a sign-in or a `full` token."""
    return await tokens.create_token(db, caller, body)


@router.get("", response_model=list[ApiTokenPublic])
async def list_tokens(user: CurrentUser, db: SessionDep) -> list[ApiTokenPublic]:
    return [ApiTokenPublic.model_validate(t) for t in await tokens.list_tokens(db, user)]


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_FULL_ONLY, 404: {"description": "No such token of yours"}},
)
async def revoke_token(
    token_id: TokenId, caller: SignedInDep, db: SessionDep, redis: RedisDep
) -> None:
    """The token stops working at once; WebSockets opened with it close within a second.
    Any token may revoke itself (a sign-out); revoking another takes full access."""
    if caller.credential.token_id != token_id:
        check_full_access(caller)
    await tokens.revoke_token(db, redis, caller.user, token_id)
