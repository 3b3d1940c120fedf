"""Your own sign-in sessions and password: see where you are signed in, sign out there."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from app.api.deps import (
    FullAccess,
    RedisDep,
    SessionDep,
    SettingsDep,
    clear_session_cookies,
    client_address,
    id_path,
    login_throttle,
)
from app.models.user import PasswordChange, SessionPublic
from app.services.accounts import sessions, users

router = APIRouter(prefix="/auth", tags=["auth"])
SessionId = Annotated[int, id_path("session")]
_FULL_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"description": "A token whose scope is not `full`"}
}


@router.get("/sessions", response_model=list[SessionPublic], responses=_FULL_ONLY)
async def list_sessions(caller: FullAccess, db: SessionDep) -> list[SessionPublic]:
    """Where you are signed in, the most recently used first; `current` marks this one."""
    return [
        SessionPublic.model_validate(
            session, update={"current": session.token_hash == caller.session_digest}
        )
        for session in await sessions.list_sessions(db, caller.user)
    ]


@router.delete(
    "/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_FULL_ONLY, 404: {"description": "No such session of yours"}},
)
async def end_session(
    session_id: SessionId, caller: FullAccess, db: SessionDep, redis: RedisDep
) -> None:
    """Sign out there: the session ends, and its WebSockets close within a second."""
    await sessions.end_session(db, redis, caller.user, session_id)


@router.delete("/sessions", status_code=status.HTTP_204_NO_CONTENT, responses=_FULL_ONLY)
async def end_sessions(
    caller: FullAccess,
    db: SessionDep,
    redis: RedisDep,
    response: Response,
    keep_current: Annotated[
        bool, Query(description="Stay signed in here, ending every other session")
    ] = False,
) -> None:
    """Sign out everywhere (API tokens are not sessions: revoke those one by one)."""
    keep = caller.session_digest if keep_current else None
    await sessions.end_sessions(db, redis, caller.user, except_digest=keep)
    if caller.session_digest is not None and not keep_current:
        clear_session_cookies(response)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_FULL_ONLY, 429: {"description": "Too many attempts"}},
)
async def change_password(
    body: PasswordChange,
    request: Request,
    caller: FullAccess,
    db: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
) -> None:
    """Change your password, giving the current one (attempts count as sign-ins). Every
    other session ends; this one, and your API tokens, stay."""
    throttle = login_throttle(redis, settings)
    address = client_address(request)
    await throttle.attempt(caller.user.username, address)
    await users.change_password(db, redis, caller, body.current_password, body.new_password)
    await throttle.succeeded(caller.user.username, address)
