"""Browser sign-in sessions, and resolving any credential (session or token) to a caller."""

from __future__ import annotations

from datetime import timedelta

from redis.asyncio import Redis
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.credentials import Credential, Kind, NotebookPass
from app.core.errors import NotFound
from app.core.security import digest, new_secret
from app.core.time import utcnow
from app.live import revocation
from app.live.revocation import CredentialId
from app.models.user import SignInSession, TokenScope, User
from app.services.accounts import tokens
from app.services.accounts.signed_in import SignedIn

# How often a session's `last_seen_at` is written at most.
SEEN_EVERY = timedelta(minutes=1)


async def open_session(
    db: AsyncSession,
    user: User,
    max_age_seconds: int,
    *,
    user_agent: str | None = None,
    address: str | None = None,
) -> str:
    """Store a new session and return its secret (for the cookie)."""
    assert user.id is not None
    secret = new_secret()
    now = utcnow()
    db.add(
        SignInSession(
            token_hash=digest(secret),
            user_id=user.id,
            expires_at=now + timedelta(seconds=max_age_seconds),
            last_seen_at=now,
            user_agent=user_agent[:200] if user_agent else None,
            address=address[:64] if address else None,
        )
    )
    # Expired sessions are pruned here, where they are cheap to find, not in a cron job.
    await db.exec(delete(SignInSession).where(col(SignInSession.expires_at) < now))
    await db.commit()
    return secret


async def signed_in_by_session(db: AsyncSession, secret: str) -> SignedIn | None:
    session_digest = digest(secret)
    row = (
        await db.exec(
            select(User, SignInSession)
            .join(SignInSession, col(SignInSession.user_id) == col(User.id))
            .where(SignInSession.token_hash == session_digest, col(User.disabled).is_(False))
        )
    ).first()
    now = utcnow()
    if row is None or row[1].expires_at <= now:
        return None
    user, session = row
    assert user.id is not None
    if session.last_seen_at is None or now - session.last_seen_at > SEEN_EVERY:
        session.last_seen_at = now
        db.add(session)
        await db.commit()
    credential = CredentialId(user.id, session_digest=session_digest, expires_at=session.expires_at)
    return SignedIn(user, credential, TokenScope.full)


async def session_for(db: AsyncSession, secret: str) -> SignInSession | None:
    """The live sign-in session a session cookie names."""
    session = (
        await db.exec(select(SignInSession).where(SignInSession.token_hash == digest(secret)))
    ).first()
    return session if session is not None and session.expires_at > utcnow() else None


async def signed_in_by_pass(db: AsyncSession, notebook_pass: NotebookPass) -> SignedIn | None:
    """A notebook's pass is good while the sign-in session it was handed over from is: a
    sign-out ends both (and their WebSockets, which carry the session's digest)."""
    row = (
        await db.exec(
            select(User, SignInSession)
            .join(SignInSession, col(SignInSession.user_id) == col(User.id))
            .where(
                SignInSession.id == notebook_pass.session_id,
                User.id == notebook_pass.user_id,
                col(User.disabled).is_(False),
            )
        )
    ).first()
    if row is None or row[1].expires_at <= utcnow():
        return None
    user, session = row
    assert user.id is not None
    credential = CredentialId(
        user.id, session_digest=session.token_hash, expires_at=session.expires_at
    )
    return SignedIn(user, credential, TokenScope.full)


async def signed_in(db: AsyncSession, credential: Credential) -> SignedIn | None:
    """Who a session cookie, an API token or a notebook's pass signs in; None when it is
    unknown or expired."""
    if credential.kind is Kind.token:
        return await tokens.signed_in_by_token(db, credential.secret)
    if credential.kind is Kind.notebook:
        assert credential.notebook_pass is not None
        return await signed_in_by_pass(db, credential.notebook_pass)
    return await signed_in_by_session(db, credential.secret)


async def user_for(db: AsyncSession, credential: Credential) -> User | None:
    found = await signed_in(db, credential)
    return found.user if found else None


async def close_session(db: AsyncSession, redis: Redis, secret: str) -> None:
    """Sign out: the session ends, and with it every WebSocket opened with it."""
    session = (
        await db.exec(select(SignInSession).where(SignInSession.token_hash == digest(secret)))
    ).first()
    if session is not None:
        await _end(db, redis, [session])


async def list_sessions(db: AsyncSession, user: User) -> list[SignInSession]:
    """The user's sessions that have not expired, the most recently used first."""
    result = await db.exec(
        select(SignInSession)
        .where(SignInSession.user_id == user.id, col(SignInSession.expires_at) > utcnow())
        .order_by(col(SignInSession.last_seen_at).desc(), col(SignInSession.id).desc())
    )
    return list(result.all())


async def end_session(db: AsyncSession, redis: Redis, user: User, session_id: int) -> None:
    session = await db.get(SignInSession, session_id)
    if session is None or session.user_id != user.id:
        raise NotFound("session not found")
    await _end(db, redis, [session])


async def end_sessions(
    db: AsyncSession, redis: Redis, user: User, *, except_digest: str | None = None
) -> int:
    """End every session of the user's (but the one of `except_digest`); how many."""
    assert user.id is not None
    return await close_all_sessions(db, redis, user.id, except_digest=except_digest)


async def close_all_sessions(
    db: AsyncSession, redis: Redis, user_id: int, *, except_digest: str | None = None
) -> int:
    """Sign a user out of every browser session (their API tokens stay), ending the
    WebSockets opened with them; how many sessions ended."""
    ended = [
        session
        for session in (
            await db.exec(select(SignInSession).where(SignInSession.user_id == user_id))
        ).all()
        if session.token_hash != except_digest
    ]
    await _end(db, redis, ended)
    return len(ended)


async def _end(db: AsyncSession, redis: Redis, ended: list[SignInSession]) -> None:
    for session in ended:
        await db.delete(session)
    await db.commit()
    for session in ended:
        await revocation.announce(redis, user_id=session.user_id, session_digest=session.token_hash)


async def still_valid(db: AsyncSession, credentials: list[CredentialId]) -> set[CredentialId]:
    """Those of `credentials` whose session or token still exists and has not expired."""
    digests = {c.session_digest for c in credentials if c.session_digest is not None}
    live_digests: set[str] = set()
    if digests:
        found = await db.exec(
            select(SignInSession.token_hash).where(
                col(SignInSession.token_hash).in_(digests),
                col(SignInSession.expires_at) > utcnow(),
            )
        )
        live_digests = set(found.all())
    live_tokens = await tokens.live_token_ids(
        db, {c.token_id for c in credentials if c.token_id is not None}
    )
    return {
        c
        for c in credentials
        if (c.session_digest is not None and c.session_digest in live_digests)
        or (c.token_id is not None and c.token_id in live_tokens)
    }


__all__ = ["SignedIn"]
