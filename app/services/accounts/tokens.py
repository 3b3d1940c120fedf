"""Personal API tokens: shown once, stored as digests, with a scope and an optional expiry."""

from __future__ import annotations

from datetime import timedelta

from redis.asyncio import Redis
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Forbidden, NotFound
from app.core.security import digest, new_secret
from app.core.time import utcnow
from app.live import revocation
from app.live.revocation import CredentialId
from app.models.user import (
    ApiToken,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    TokenScope,
    User,
)
from app.services.accounts.signed_in import SignedIn

TOKEN_PREFIX = "wst_"


async def signed_in_by_token(db: AsyncSession, secret: str) -> SignedIn | None:
    row = (
        await db.exec(
            select(User, ApiToken)
            .join(ApiToken, col(ApiToken.user_id) == col(User.id))
            .where(ApiToken.token_hash == digest(secret), col(User.disabled).is_(False))
        )
    ).first()
    if row is None:
        return None
    user, token = row
    assert user.id is not None and token.id is not None
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    # Recorded at most once a minute: a hot script should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.add(token)
        await db.commit()
    credential = CredentialId(user.id, token_id=token.id, expires_at=token.expires_at)
    return SignedIn(user, credential, token.scope)


async def create_token(db: AsyncSession, caller: SignedIn, body: ApiTokenCreate) -> ApiTokenCreated:
    """Only a sign-in or a `full` token may mint tokens (the route checks), and never one
    of a wider scope than its own."""
    if not caller.scope.allows(body.scope):
        raise Forbidden(f"a {caller.scope.value} token cannot make a {body.scope.value} one")
    return await issue(db, caller.user, body)


async def issue(db: AsyncSession, user: User, body: ApiTokenCreate) -> ApiTokenCreated:
    """Store a new token for `user` (whoever asked was checked already)."""
    assert user.id is not None
    secret = new_secret(TOKEN_PREFIX)
    expires_at = None
    if body.expires_in_days is not None:
        expires_at = utcnow() + timedelta(days=body.expires_in_days)
    token = ApiToken(
        user_id=user.id,
        name=body.name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=digest(secret),
        scope=body.scope,
        expires_at=expires_at,
    )
    db.add(token)
    await db.commit()
    await db.refresh(token)
    return ApiTokenCreated(**ApiTokenPublic.model_validate(token).model_dump(), token=secret)


async def list_tokens(db: AsyncSession, user: User) -> list[ApiToken]:
    result = await db.exec(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))
    )
    return list(result.all())


async def revoke_token(db: AsyncSession, redis: Redis, user: User, token_id: int) -> None:
    """The token stops working, and every WebSocket opened with it closes."""
    token = await db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("token not found")
    await db.delete(token)
    await db.commit()
    await revocation.announce(redis, user_id=token.user_id, token_id=token_id)


async def live_token_ids(db: AsyncSession, token_ids: set[int]) -> set[int]:
    """Those of `token_ids` that still exist and have not expired."""
    if not token_ids:
        return set()
    rows = await db.exec(
        select(ApiToken.id, ApiToken.expires_at).where(col(ApiToken.id).in_(token_ids))
    )
    now = utcnow()
    return {
        token_id
        for token_id, expires_at in rows.all()
        if token_id is not None and (expires_at is None or expires_at > now)
    }


__all__ = ["TOKEN_PREFIX", "TokenScope"]
