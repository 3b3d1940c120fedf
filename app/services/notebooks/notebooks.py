"""Notebook servers, as the api sees them: validate, store the desired state, enqueue.

The api never calls Docker: it records what the user wants (`desired_state`, bumping
`generation`) and enqueues the converge job that makes Docker match.
"""

from __future__ import annotations

import secrets

from arq import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import Conflict, Invalid, NotFound, Unavailable
from app.core.queue import enqueue_converge
from app.models.notebook import (
    DesiredState,
    Notebook,
    NotebookCreate,
    NotebookOptions,
    NotebookUpdate,
    Status,
)
from app.models.user import User
from app.services.notebooks import engine_status
from app.services.notebooks.state import save_changes
from app.services.notebooks.status import AT_REST


async def options(redis: Redis, settings: Settings) -> NotebookOptions:
    available, error = await engine_status.read(redis)
    return NotebookOptions(
        images=settings.notebook_images,
        default_image=settings.notebook_images[0],
        max_cpus=settings.notebook_max_cpus,
        max_memory_mb=settings.notebook_max_memory_mb,
        default_cpus=settings.notebook_default_cpus,
        default_memory_mb=settings.notebook_default_memory_mb,
        default_idle_timeout_minutes=settings.notebook_idle_timeout_minutes,
        docker_available=available,
        docker_error=error,
    )


def _check_limits(
    settings: Settings, *, image: str | None, cpus: float | None, memory_mb: int | None
) -> None:
    if image is not None and image not in settings.notebook_images:
        allowed = ", ".join(settings.notebook_images)
        raise Invalid(f"image {image!r} is not allowed; choose one of: {allowed}", field="image")
    if cpus is not None and cpus > settings.notebook_max_cpus:
        raise Invalid(f"at most {settings.notebook_max_cpus} CPUs on this server", field="cpus")
    if memory_mb is not None and memory_mb > settings.notebook_max_memory_mb:
        raise Invalid(
            f"at most {settings.notebook_max_memory_mb} MB on this server", field="memory_mb"
        )


async def _require_docker(redis: Redis) -> None:
    available, error = await engine_status.read(redis)
    if not available:
        raise Unavailable(f"notebooks are unavailable: {error or 'no Docker engine'}")


# A person's change is written only onto the row it was computed from (by version). When
# the worker moved the status in between (a Docker health event, say), it is computed again
# on the fresh row: the two never want the same fields, so the person should not see a 409.
WRITE_ATTEMPTS = 5


async def get_owned(db: AsyncSession, user: User, notebook_id: int) -> Notebook:
    notebook = await db.get(Notebook, notebook_id, populate_existing=True)
    if notebook is None or notebook.owner_id != user.id:
        raise NotFound("notebook not found")
    if notebook.desired_state == DesiredState.deleted:
        raise NotFound("notebook not found (being deleted)")
    return notebook


async def list_owned(db: AsyncSession, user: User) -> list[Notebook]:
    result = await db.exec(
        select(Notebook)
        .where(Notebook.owner_id == user.id, Notebook.desired_state != DesiredState.deleted)
        .order_by(col(Notebook.id))
    )
    return list(result.all())


async def create(
    db: AsyncSession,
    redis: Redis,
    queue: ArqRedis,
    settings: Settings,
    user: User,
    body: NotebookCreate,
) -> Notebook:
    _check_limits(settings, image=body.image, cpus=body.cpus, memory_mb=body.memory_mb)
    await _require_docker(redis)
    assert user.id is not None
    notebook = Notebook(
        owner_id=user.id,
        name=body.name,
        image=body.image or settings.notebook_images[0],
        cpus=body.cpus or settings.notebook_default_cpus,
        memory_mb=body.memory_mb or settings.notebook_default_memory_mb,
        env=body.env or {},
        keep_volume=body.keep_volume,
        idle_timeout_minutes=(
            settings.notebook_idle_timeout_minutes
            if body.idle_timeout_minutes is None
            else body.idle_timeout_minutes
        ),
        jupyter_token=secrets.token_hex(32),
    )
    db.add(notebook)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise Conflict(f"you already have a notebook named {body.name!r}", field="name") from None
    await db.refresh(notebook)
    assert notebook.id is not None
    await enqueue_converge(queue, notebook.id, notebook.generation)
    return notebook


async def update_config(
    db: AsyncSession,
    redis: Redis,
    settings: Settings,
    user: User,
    notebook_id: int,
    body: NotebookUpdate,
) -> Notebook:
    notebook = await get_owned(db, user, notebook_id)
    _check_limits(settings, image=body.image, cpus=body.cpus, memory_mb=body.memory_mb)
    changes = body.model_dump(exclude_unset=True)
    for field in (
        "name",
        "image",
        "cpus",
        "memory_mb",
        "env",
        "keep_volume",
        "idle_timeout_minutes",
    ):
        if field in changes and changes[field] is None:
            raise Invalid("may not be null", field=field)
    if not changes:
        return notebook
    for _ in range(WRITE_ATTEMPTS):
        try:
            saved = await save_changes(db, redis, notebook, "updated", **changes)
        except IntegrityError:
            await db.rollback()
            raise Conflict(
                f"you already have a notebook named {changes['name']!r}", field="name"
            ) from None
        if saved is not None:
            return saved
        notebook = await get_owned(db, user, notebook_id)
    raise Conflict("the notebook keeps changing; read it again and retry")


async def set_desired(
    db: AsyncSession,
    redis: Redis,
    queue: ArqRedis,
    user: User,
    notebook_id: int,
    desired: DesiredState,
    *,
    restart: bool = False,
    purge: bool = False,
) -> Notebook:
    """Record what the user wants and enqueue the job that converges Docker to it.

    A restart (or a start after a stop or failure) puts the notebook back to `pending`,
    which tells the job to make a fresh container with the current configuration.
    """
    if desired != DesiredState.stopped:
        await _require_docker(redis)
    for _ in range(WRITE_ATTEMPTS):
        notebook = await get_owned(db, user, notebook_id)
        fields: dict[str, object] = {
            "desired_state": desired,
            "generation": notebook.generation + 1,
        }
        if desired == DesiredState.running and (restart or notebook.status in AT_REST):
            fields |= {"status": Status.pending, "status_reason": None}
        if desired == DesiredState.deleted:
            fields["purge_volume"] = purge or not notebook.keep_volume
        if restart:
            fields["status_reason"] = "restart requested"
        saved = await save_changes(db, redis, notebook, "status", **fields)
        if saved is not None:
            assert saved.id is not None
            await enqueue_converge(queue, saved.id, saved.generation)
            return saved
    raise Conflict("the notebook keeps changing; retry")
