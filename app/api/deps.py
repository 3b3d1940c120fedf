"""Dependencies shared by the routes, as `Annotated` aliases so signatures read like the domain."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from arq import ArqRedis
from fastapi import Depends, Path, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from redis.asyncio import Redis
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.credentials import (
    CSRF_COOKIE,
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    foreign_origin,
    presented,
)
from app.core.errors import Forbidden, Unauthorized
from app.models.types import MAX_ID
from app.models.user import TokenScope, User
from app.services.accounts import sessions
from app.services.accounts.signed_in import SignedIn
from app.services.accounts.throttle import LoginThrottle

# Declared for the OpenAPI schema (the docs' Authorize button); the credential itself is
# read by app.core.credentials, as in the proxy and the live feed.
_bearer = HTTPBearer(auto_error=False, description="A personal API token (`wst_...`).")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="Browser session.")


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        yield session


async def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[AsyncSession, Depends(get_db)]
RedisDep = Annotated[Redis, Depends(get_redis)]


async def get_signed_in(
    request: Request,
    db: SessionDep,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _cookie: Annotated[str | None, Depends(_cookie)],
) -> SignedIn:
    credential = presented(request)
    if credential is None:
        raise Unauthorized("sign in or send an API token (Authorization: Bearer ...)")
    found = await sessions.signed_in(db, credential)
    if found is None:
        raise Unauthorized(
            "session expired; sign in again"
            if credential.by_cookie
            else "invalid, expired or revoked API token"
        )
    if request.method not in SAFE_METHODS:
        if credential.by_cookie:
            check_csrf(request)
        if not found.scope.allows(TokenScope.write):
            raise Forbidden("this API token is read-only")
    return found


SignedInDep = Annotated[SignedIn, Depends(get_signed_in)]


async def get_current_user(signed_in: SignedInDep) -> User:
    return signed_in.user


def check_full_access(signed_in: SignedIn) -> None:
    """Managing credentials (tokens, sessions) takes a sign-in or a token of scope `full`."""
    if not signed_in.scope.allows(TokenScope.full):
        raise Forbidden(f"this needs a sign-in or a full token (this one is {signed_in.scope})")


async def require_full_access(signed_in: SignedInDep) -> SignedIn:
    check_full_access(signed_in)
    return signed_in


FullAccess = Annotated[SignedIn, Depends(require_full_access)]


def check_csrf(request: Request) -> None:
    """Double-submit check: a cross-site page can send our cookie but cannot read it.

    A page of another origin of the same site (a notebook's, when notebooks are served
    under the dashboard's parent domain) could set a `workspace_csrf` cookie for the
    parent domain and then send it back; its `Origin` gives it away.
    """
    settings: Settings = request.app.state.settings
    origin = foreign_origin(request, settings.public_url)
    if origin is not None:
        raise Forbidden(f"cross-origin request from {origin!r} refused")
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not expected or not hmac.compare_digest(expected, sent):
        raise Forbidden(f"missing or wrong {CSRF_HEADER} header")


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        raise Forbidden("administrators only")
    return user


# Every administrative operation depends on this, and only on this, for its access rule.
AdminUser = Annotated[User, Depends(get_admin_user)]


def login_throttle(redis: Redis, settings: Settings) -> LoginThrottle:
    return LoginThrottle(
        redis,
        max_per_username=settings.login_max_failures,
        max_per_address=settings.login_max_failures_per_address,
        window_seconds=settings.login_failure_window_seconds,
    )


def client_address(request: Request) -> str:
    """The connection's peer, or the forwarded client when the peer is a trusted proxy
    (uvicorn applies WORKSPACE_TRUSTED_PROXIES, see app/server.py)."""
    return request.client.host if request.client else "unknown"


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


async def get_queue(request: Request) -> ArqRedis:
    queue: ArqRedis = request.app.state.queue
    return queue


QueueDep = Annotated[ArqRedis, Depends(get_queue)]


@dataclass(frozen=True, slots=True)
class Jobs:
    """What a change that the worker carries out takes: the session, Redis, the queue and
    the settings of the request."""

    db: AsyncSession
    redis: Redis
    queue: ArqRedis
    settings: Settings


async def get_jobs(db: SessionDep, redis: RedisDep, queue: QueueDep, settings: SettingsDep) -> Jobs:
    return Jobs(db, redis, queue, settings)


JobsDep = Annotated[Jobs, Depends(get_jobs)]


def id_path(what: str) -> Any:
    """A path id bounded to the database's integer range (larger ones are 422, not 500)."""
    return Path(ge=1, le=MAX_ID, description=f"The {what}'s id.")
