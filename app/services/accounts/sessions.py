"""Browser sign-in sessions and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.credentials import Credential, Kind
from app.core.errors import NotFound
from app.core.security import digest, new_secret
from app.core.time import utcnow
from app.models.user import ApiToken, ApiTokenCreated, ApiTokenPublic, SignInSession, User

TOKEN_PREFIX = "wst_"


async def open_session(db: AsyncSession, user: User, max_age_seconds: int) -> str:
    """Store a new session and return its secret (for the cookie)."""
    assert user.id is not None
    secret = new_secret()
    now = utcnow()
    db.add(
        SignInSession(
            token_hash=digest(secret),
            user_id=user.id,
            expires_at=now + timedelta(seconds=max_age_seconds),
        )
    )
    # Expired sessions are pruned here, where they are cheap to find, not in a cron job.
    await db.exec(delete(SignInSession).where(col(SignInSession.expires_at) < now))
    await db.commit()
    return secret


async def user_for_session(db: AsyncSession, secret: str) -> User | None:
    row = (
        await db.exec(
            select(User, SignInSession)
            .join(SignInSession, col(SignInSession.user_id) == col(User.id))
            .where(SignInSession.token_hash == digest(secret), col(User.disabled).is_(False))
        )
    ).first()
    if row is None or row[1].expires_at <= utcnow():
        return None
    return row[0]


async def close_all_sessions(db: AsyncSession, user_id: int) -> int:
    """Sign a user out everywhere (their API tokens stay); how many sessions ended."""
    result = await db.exec(delete(SignInSession).where(col(SignInSession.user_id) == user_id))
    await db.commit()
    return int(result.rowcount or 0)


async def close_session(db: AsyncSession, secret: str) -> None:
    await db.exec(delete(SignInSession).where(col(SignInSession.token_hash) == digest(secret)))
    await db.commit()


async def user_for_token(db: AsyncSession, secret: str) -> User | None:
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
    now = utcnow()
    # Recorded at most once a minute: a hot script should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.add(token)
        await db.commit()
    return user


async def user_for(db: AsyncSession, credential: Credential) -> User | None:
    """The user behind a session cookie or an API token; None when it is unknown or expired."""
    if credential.kind is Kind.token:
        return await user_for_token(db, credential.secret)
    return await user_for_session(db, credential.secret)


async def create_token(db: AsyncSession, user: User, name: str) -> ApiTokenCreated:
    assert user.id is not None
    secret = new_secret(TOKEN_PREFIX)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=digest(secret),
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


async def revoke_token(db: AsyncSession, user: User, token_id: int) -> None:
    token = await db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("token not found")
    await db.delete(token)
    await db.commit()
