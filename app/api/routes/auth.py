"""Sign-in and sign-out for the dashboard (session cookie), and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.api.deps import (
    CurrentUser,
    RedisDep,
    SessionDep,
    SettingsDep,
    check_csrf,
    clear_session_cookies,
    client_address,
    login_throttle,
)
from app.core.credentials import CSRF_COOKIE, SESSION_COOKIE
from app.core.errors import Unauthorized
from app.core.security import new_secret
from app.models.user import LoginRequest, UserPublic
from app.services.accounts import sessions, users

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/login",
    response_model=UserPublic,
    responses={
        401: {"description": "Wrong username or password"},
        429: {"description": "Throttled"},
    },
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    db: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
) -> UserPublic:
    """Sign in with a session cookie. Attempts are limited per username and per client
    address (`Retry-After` says how long to wait); the address is the connection's, or
    the forwarded one when the peer is a configured trusted proxy."""
    throttle = login_throttle(redis, settings)
    client = client_address(request)
    await throttle.attempt(body.username, client)
    user = await users.authenticate(db, body.username, body.password)
    if user is None:
        raise Unauthorized("wrong username or password")
    await throttle.succeeded(body.username, client)
    secret = await sessions.open_session(
        db,
        user,
        settings.session_max_age_seconds,
        user_agent=request.headers.get("user-agent"),
        address=client,
    )
    cookie_args = {
        "max_age": settings.session_max_age_seconds,
        "secure": settings.secure_cookies,
        "path": "/",
    }
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax", **cookie_args)  # type: ignore[arg-type]
    # Readable by our own JavaScript only, which echoes it in the X-CSRF-Token header.
    response.set_cookie(CSRF_COOKIE, new_secret(), httponly=False, samesite="strict", **cookie_args)  # type: ignore[arg-type]
    return UserPublic.model_validate(user)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"description": "Missing or wrong X-CSRF-Token header"}},
)
async def logout(request: Request, response: Response, db: SessionDep, redis: RedisDep) -> None:
    """End the session; WebSockets opened with it close within a second. Like every
    cookie request that changes something, it needs the X-CSRF-Token header: another
    page of the same site must not be able to sign you out."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        check_csrf(request)
        await sessions.close_session(db, redis, secret)
    clear_session_cookies(response)


@router.get("/me", response_model=UserPublic)
async def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)
