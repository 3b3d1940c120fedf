"""Browser sign-in sessions and personal API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from redis.asyncio import Redis
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.credentials import Credential, Kind
from app.core.errors import NotFound
from app.core.security import digest, new_secret
from app.core.time import utcnow
from app.live import revocation
from app.live.revocation import CredentialId
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


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who is calling, and with which credential (what ends their WebSockets with it)."""

    user: User
    credential: CredentialId


async def signed_in_by_session(db: AsyncSession, secret: str) -> SignedIn | None:
    session_digest = digest(secret)
    row = (
        await db.exec(
            select(User, SignInSession)
            .join(SignInSession, col(SignInSession.user_id) == col(User.id))
            .where(SignInSession.token_hash == session_digest, col(User.disabled).is_(False))
        )
    ).first()
    if row is None or row[1].expires_at <= utcnow():
        return None
    user, session = row
    assert user.id is not None
    credential = CredentialId(user.id, session_digest=session_digest, expires_at=session.expires_at)
    return SignedIn(user, credential)


async def user_for_session(db: AsyncSession, secret: str) -> User | None:
    found = await signed_in_by_session(db, secret)
    return found.user if found else None


async def close_session(db: AsyncSession, redis: Redis, secret: str) -> None:
    """Sign out: the session ends, and with it every WebSocket opened with it."""
    session_digest = digest(secret)
    session = (
        await db.exec(select(SignInSession).where(SignInSession.token_hash == session_digest))
    ).first()
    if session is None:
        return
    await db.delete(session)
    await db.commit()
    await revocation.announce(redis, user_id=session.user_id, session_digest=session_digest)


async def close_all_sessions(db: AsyncSession, redis: Redis, user_id: int) -> int:
    """Sign a user out of every browser session (their API tokens stay), ending the
    WebSockets opened with them; how many sessions ended."""
    digests = (
        await db.exec(select(SignInSession.token_hash).where(SignInSession.user_id == user_id))
    ).all()
    await db.exec(delete(SignInSession).where(col(SignInSession.user_id) == user_id))
    await db.commit()
    for session_digest in digests:
        await revocation.announce(redis, user_id=user_id, session_digest=session_digest)
    return len(digests)


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
    # Recorded at most once a minute: a hot script should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.add(token)
        await db.commit()
    return SignedIn(user, CredentialId(user.id, token_id=token.id))


async def user_for_token(db: AsyncSession, secret: str) -> User | None:
    found = await signed_in_by_token(db, secret)
    return found.user if found else None


async def signed_in(db: AsyncSession, credential: Credential) -> SignedIn | None:
    """Who a session cookie or an API token signs in; None when it is unknown or expired."""
    if credential.kind is Kind.token:
        return await signed_in_by_token(db, credential.secret)
    return await signed_in_by_session(db, credential.secret)


async def user_for(db: AsyncSession, credential: Credential) -> User | None:
    found = await signed_in(db, credential)
    return found.user if found else None


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


async def revoke_token(db: AsyncSession, redis: Redis, user: User, token_id: int) -> None:
    """The token stops working, and every WebSocket opened with it closes."""
    token = await db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("token not found")
    await db.delete(token)
    await db.commit()
    await revocation.announce(redis, user_id=token.user_id, token_id=token_id)


async def still_valid(db: AsyncSession, credentials: list[CredentialId]) -> set[CredentialId]:
    """Those of `credentials` whose session or token still exists and has not expired."""
    digests = {c.session_digest for c in credentials if c.session_digest is not None}
    token_ids = {c.token_id for c in credentials if c.token_id is not None}
    now = utcnow()
    live_digests: set[str] = set()
    if digests:
        found = await db.exec(
            select(SignInSession.token_hash).where(
                col(SignInSession.token_hash).in_(digests), col(SignInSession.expires_at) > now
            )
        )
        live_digests = set(found.all())
    live_tokens: set[int] = set()
    if token_ids:
        rows = await db.exec(select(ApiToken.id).where(col(ApiToken.id).in_(token_ids)))
        live_tokens = {token_id for token_id in rows.all() if token_id is not None}
    return {
        c
        for c in credentials
        if (c.session_digest is not None and c.session_digest in live_digests)
        or (c.token_id is not None and c.token_id in live_tokens)
    }
