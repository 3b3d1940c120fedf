"""Accounts as an admin manages them: create, disable, grant admin, reset, delete.

Disabling takes effect at once: every credential lookup checks the flag, every api process
closes the user's open WebSockets (app/live/revocation.py), and their notebooks are stopped
through the notebooks service. Deleting does the same before the account goes.
An admin cannot disable, demote or delete themselves, and the last enabled admin stays.
"""

from __future__ import annotations

import secrets

from arq import ArqRedis
from redis.asyncio import Redis
from sqlalchemy import update as sql_update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import Conflict, NotFound
from app.core.queue import enqueue_forget
from app.core.security import hash_password
from app.live import revocation
from app.models.admin import (
    AdminUserCreate,
    AdminUserCreated,
    AdminUserDeleted,
    AdminUserPublic,
    AdminUserUpdate,
    KeepOrRemove,
    PasswordReset,
)
from app.models.notebook import DesiredState, Notebook
from app.models.post import Post
from app.models.post_parts import PostImage
from app.models.user import User
from app.services.accounts import sessions
from app.services.accounts import users as accounts
from app.services.admin import audit
from app.services.notebooks import notebooks

DISABLED_REASON = "stopped: the account was disabled"


def _label(user: User) -> str:
    return f"user {user.id} ({user.username})"


async def _notebook_counts(db: AsyncSession) -> dict[int, int]:
    rows = await db.exec(
        select(Notebook.owner_id, func.count())
        .where(Notebook.desired_state != DesiredState.deleted)
        .group_by(col(Notebook.owner_id))
    )
    return {owner: int(count) for owner, count in rows.all()}


def _public(user: User, counts: dict[int, int]) -> AdminUserPublic:
    assert user.id is not None
    return AdminUserPublic(
        **user.model_dump(exclude={"password_hash"}), notebook_count=counts.get(user.id, 0)
    )


async def list_users(db: AsyncSession) -> list[AdminUserPublic]:
    counts = await _notebook_counts(db)
    rows = await db.exec(select(User).order_by(col(User.id)))
    return [_public(user, counts) for user in rows.all()]


async def get_user(db: AsyncSession, user_id: int) -> User:
    user = await db.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound("user not found")
    return user


def _new_password() -> str:
    return secrets.token_urlsafe(12)


async def create(db: AsyncSession, actor: User, body: AdminUserCreate) -> AdminUserCreated:
    generated = None if body.password else _new_password()
    password = body.password or generated
    assert password is not None
    user = await accounts.create_user(db, body.username, password, is_admin=body.is_admin)
    await audit.record(
        db, actor, "user.create", _label(user), is_admin=body.is_admin, generated=bool(generated)
    )
    return AdminUserCreated(**_public(user, {}).model_dump(), initial_password=generated)


async def _other_enabled_admins(db: AsyncSession, user: User) -> int:
    query = select(func.count()).where(
        col(User.is_admin).is_(True), col(User.disabled).is_(False), User.id != user.id
    )
    return int((await db.exec(query)).one())


async def _guard(db: AsyncSession, actor: User, user: User, what: str) -> None:
    if user.id == actor.id:
        raise Conflict(f"you cannot {what} your own account", field="id")
    if user.is_admin and not user.disabled and not await _other_enabled_admins(db, user):
        raise Conflict(f"cannot {what} the last enabled admin", field="id")


async def update(
    db: AsyncSession,
    redis: Redis,
    queue: ArqRedis,
    settings: Settings,
    actor: User,
    user_id: int,
    body: AdminUserUpdate,
) -> AdminUserPublic:
    user = await get_user(db, user_id)
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    if changes.get("disabled") is True and not user.disabled:
        await _guard(db, actor, user, "disable")
    if changes.get("is_admin") is False and user.is_admin:
        await _guard(db, actor, user, "remove admin rights from")
    changed = {k: v for k, v in changes.items() if getattr(user, k) != v}
    for name, value in changed.items():
        setattr(user, name, value)
    db.add(user)
    await db.commit()
    await db.refresh(user)
    assert user.id is not None
    stopped: list[int] = []
    if changed.get("disabled") is True:
        await revocation.announce(redis, user_id=user.id)
        stopped = await notebooks.stop_all_of(db, redis, queue, settings, user.id, DISABLED_REASON)
    if changed:
        action = "user.disable" if changed.get("disabled") else "user.update"
        await audit.record(db, actor, action, _label(user), changes=changed, stopped=stopped)
    return _public(user, await _notebook_counts(db))


async def reset_password(
    db: AsyncSession, redis: Redis, actor: User, user_id: int, body: PasswordReset
) -> AdminUserCreated:
    user = await get_user(db, user_id)
    generated = None if body.password else _new_password()
    password = body.password or generated
    assert password is not None and user.id is not None
    accounts.check_password(password)
    user.password_hash = await hash_password(password)
    db.add(user)
    await db.commit()
    ended = await sessions.close_all_sessions(db, redis, user.id)
    await audit.record(
        db, actor, "user.password_reset", _label(user), generated=bool(generated), sessions=ended
    )
    return AdminUserCreated(
        **_public(user, await _notebook_counts(db)).model_dump(), initial_password=generated
    )


async def delete(
    db: AsyncSession,
    redis: Redis,
    queue: ArqRedis,
    actor: User,
    user_id: int,
    *,
    volumes: KeepOrRemove,
    posts: KeepOrRemove,
) -> AdminUserDeleted:
    """Delete the account and what it owns (todos, tokens, notebooks' rows: the foreign keys
    cascade). Containers always go; volumes go with `volumes=remove`, else they stay on the
    engine under their names, and the audit entry lists them.

    Posts and their images cascade with their author (`posts=remove`); `posts=keep` hands
    them to the admin deleting the account first, so public URLs keep working (slugs are
    unique across authors, so the move cannot collide)."""
    user = await get_user(db, user_id)
    await _guard(db, actor, user, "delete")
    assert user.id is not None
    owned = (await db.exec(select(Notebook).where(Notebook.owner_id == user.id))).all()
    label = _label(user)
    await revocation.announce(redis, user_id=user.id)
    kept_posts = 0
    if posts == "keep":
        moved = await db.exec(
            sql_update(Post).where(col(Post.author_id) == user.id).values(author_id=actor.id)
        )
        kept_posts = int(moved.rowcount or 0)
        images = sql_update(PostImage).where(col(PostImage.owner_id) == user.id)
        await db.exec(images.values(owner_id=actor.id))
    await db.delete(user)
    await db.commit()
    for notebook in owned:
        await enqueue_forget(queue, notebook.key, remove_volume=volumes == "remove")
    kept = [] if volumes == "remove" else [f"{n.name} (notebook {n.id})" for n in owned]
    await audit.record(
        db,
        actor,
        "user.delete",
        label,
        volumes=volumes,
        posts=posts,
        posts_kept=kept_posts,
        notebooks=[n.id for n in owned],
        volumes_kept=kept,
    )
    return AdminUserDeleted(
        id=user_id,
        username=user.username,
        notebooks_removed=len(owned),
        volumes_kept=kept,
        posts=posts,
    )
