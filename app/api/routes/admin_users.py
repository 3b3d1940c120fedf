"""Administration of accounts (admins only): list, create, disable, grant admin, reset, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import AdminUser, QueueDep, RedisDep, SessionDep, SettingsDep, id_path
from app.models.admin import (
    AdminUserCreate,
    AdminUserCreated,
    AdminUserDeleted,
    AdminUserList,
    AdminUserPublic,
    AdminUserUpdate,
    KeepOrRemove,
    PasswordReset,
)
from app.services.admin import users

router = APIRouter(prefix="/admin/users", tags=["admin"])
UserId = Annotated[int, id_path("user")]


@router.get("", response_model=AdminUserList)
async def list_users(_admin: AdminUser, db: SessionDep) -> AdminUserList:
    rows = await users.list_users(db)
    return AdminUserList(data=rows, count=len(rows))


@router.post(
    "",
    response_model=AdminUserCreated,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "Username taken"}},
)
async def create_user(body: AdminUserCreate, admin: AdminUser, db: SessionDep) -> AdminUserCreated:
    """Without a password, a random one is made and returned once (`initial_password`)."""
    return await users.create(db, admin, body)


@router.patch(
    "/{user_id}",
    response_model=AdminUserPublic,
    responses={409: {"description": "Your own account, or the last admin"}},
)
async def update_user(
    user_id: UserId,
    body: AdminUserUpdate,
    admin: AdminUser,
    db: SessionDep,
    redis: RedisDep,
    queue: QueueDep,
    settings: SettingsDep,
) -> AdminUserPublic:
    """`disabled: true` ends their credentials at once, closes their live connections and
    stops their notebooks; `is_admin` grants or removes admin rights."""
    return await users.update(db, redis, queue, settings, admin, user_id, body)


@router.post("/{user_id}/password", response_model=AdminUserCreated)
async def reset_password(
    user_id: UserId, body: PasswordReset, admin: AdminUser, db: SessionDep, redis: RedisDep
) -> AdminUserCreated:
    """Set a new password (a random one, returned once, when none is sent) and sign the
    user out of their browser sessions."""
    return await users.reset_password(db, redis, admin, user_id, body)


@router.delete(
    "/{user_id}",
    response_model=AdminUserDeleted,
    responses={409: {"description": "Your own account, or the last admin"}},
)
async def delete_user(
    user_id: UserId,
    admin: AdminUser,
    db: SessionDep,
    redis: RedisDep,
    queue: QueueDep,
    volumes: Annotated[
        KeepOrRemove, Query(description="The notebook volumes (their files): keep or remove.")
    ],
    posts: Annotated[KeepOrRemove, Query(description="Their blog posts: keep or remove.")],
) -> AdminUserDeleted:
    return await users.delete(db, redis, queue, admin, user_id, volumes=volumes, posts=posts)
