"""Users: creation, the first admin, credential checks and password changes."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.datadir import write_secret
from app.core.errors import Conflict, Forbidden, Invalid
from app.core.security import hash_password, verify_password
from app.models.user import USERNAME_PATTERN, User
from app.services.accounts import sessions
from app.services.accounts.signed_in import SignedIn

MIN_PASSWORD_LENGTH = 8


def check_password(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"at least {MIN_PASSWORD_LENGTH} characters", field=field)


async def create_user(
    db: AsyncSession, username: str, password: str, *, is_admin: bool = False
) -> User:
    if not re.fullmatch(USERNAME_PATTERN, username) or len(username) > 64:
        raise Invalid("letters, digits, '_', '.', '-' only, at most 64", field="username")
    check_password(password)
    user = User(username=username, password_hash=await hash_password(password), is_admin=is_admin)
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise Conflict(f"user {username!r} already exists", field="username") from None
    await db.refresh(user)
    return user


async def count_users(db: AsyncSession) -> int:
    return int((await db.exec(select(func.count()).select_from(User))).one())


async def ensure_first_admin(db: AsyncSession, username: str | None, password: str | None) -> bool:
    """Create the configured admin when no user exists yet; True when one was made."""
    if not username or not password or await count_users(db) > 0:
        return False
    try:
        await create_user(db, username, password, is_admin=True)
    except Conflict:  # another process made it first
        return False
    return True


async def ensure_initial_admin(db: AsyncSession, data_dir: Path) -> bool:
    """First run with no admin configured: make `admin` with a random password.

    The password is written, readable by the owner only, to `initial-admin-password` in
    the data directory, and nowhere else (a log is read by more people and kept longer).
    True when the account was made; nothing happens once any user exists.
    """
    if await count_users(db) > 0:
        return False
    password = secrets.token_urlsafe(12)
    try:
        await create_user(db, "admin", password, is_admin=True)
    except Conflict:
        return False
    write_secret(initial_password_file(data_dir), password + "\n")
    return True


def initial_password_file(data_dir: Path) -> Path:
    return data_dir / "initial-admin-password"


async def authenticate(db: AsyncSession, username: str, password: str) -> User | None:
    """The user of these credentials, or None; a disabled account is refused (403)."""
    user = (await db.exec(select(User).where(User.username == username))).first()
    ok = await verify_password(user.password_hash if user else None, password)
    if ok and user is not None and user.disabled:
        raise Forbidden("this account is disabled; ask an administrator")
    return user if ok else None


async def change_password(
    db: AsyncSession, redis: Redis, caller: SignedIn, current: str, new: str
) -> int:
    """Set a new password, the current one given; every other session of the user's ends
    (the caller's own, if a session, stays). How many ended."""
    user = caller.user
    if not await verify_password(user.password_hash, current):
        raise Invalid("this is not your current password", field="current_password")
    check_password(new, field="new_password")
    if new == current:
        raise Invalid("the new password is the current one", field="new_password")
    user.password_hash = await hash_password(new)
    db.add(user)
    await db.commit()
    return await sessions.end_sessions(db, redis, user, except_digest=caller.session_digest)
