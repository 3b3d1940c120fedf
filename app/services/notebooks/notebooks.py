"""Notebook servers, as the api sees them: validate, store the desired state, enqueue.

The api never calls Docker: it records what the user wants (`desired_state`, bumping
`generation`) and enqueues the converge job that makes Docker match.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Awaitable, Callable

from arq import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import notebook_origin
from app.core.config import Settings
from app.core.errors import Conflict, Invalid, NotFound, Unavailable
from app.core.notebook_origin import new_key
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
from app.services.admin.settings import effective, image_statuses
from app.services.notebooks import engine_status, policy, spare_keys
from app.services.notebooks.state import save_changes
from app.services.notebooks.status import AT_REST


async def options(db: AsyncSession, redis: Redis, settings: Settings) -> NotebookOptions:
    values = await effective(db, settings)
    available, error = await engine_status.read(redis)
    default = values.notebook_images[0]
    cpus, memory = policy.default_resources(values, settings, default)
    choices = await image_statuses(redis, values.notebook_images)
    building = next((c.build for c in choices if c.build and c.build.state != "done"), None)
    return NotebookOptions(
        notebook_url_template=notebook_origin.origin_template(settings),
        images=[c.image for c in values.notebook_images],
        default_image=default.image,
        max_cpus=values.notebook_max_cpus,
        max_memory_mb=values.notebook_max_memory_mb,
        default_cpus=cpus,
        default_memory_mb=memory,
        default_idle_timeout_minutes=values.notebook_idle_timeout_minutes,
        docker_available=available,
        docker_error=error,
        image_choices=choices,
        image_build=building,
        quota_notebooks=values.quota_notebooks,
        quota_running_cpus=values.quota_running_cpus,
        quota_running_memory_mb=values.quota_running_memory_mb,
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
    values = await effective(db, settings)
    policy.check_limits(values, image=body.image, cpus=body.cpus, memory_mb=body.memory_mb)
    choice = policy.image_choice(values, body.image)
    default_cpus, default_memory = policy.default_resources(values, settings, choice)
    cpus, memory_mb = body.cpus or default_cpus, body.memory_mb or default_memory
    assert user.id is not None
    await policy.check_count(db, values, user.id)
    await policy.check_running(db, values, user.id, cpus=cpus, memory_mb=memory_mb)
    await _require_docker(redis)
    notebook = Notebook(
        key=await spare_keys.take(redis, settings.instance) or new_key(),
        owner_id=user.id,
        name=body.name,
        image=choice.image,
        cpus=cpus,
        memory_mb=memory_mb,
        env=body.env or {},
        keep_volume=body.keep_volume,
        idle_timeout_minutes=(
            values.notebook_idle_timeout_minutes
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
    await enqueue_converge(queue, notebook.key, notebook.generation)
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
    values = await effective(db, settings)
    policy.check_limits(values, image=body.image, cpus=body.cpus, memory_mb=body.memory_mb)
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
    settings: Settings,
    user: User,
    notebook_id: int,
    desired: DesiredState,
    *,
    restart: bool = False,
    purge: bool = False,
) -> Notebook:
    """Record what the user wants and enqueue the job that converges Docker to it.

    A restart (or a start after a stop or failure) puts the notebook back to `pending`,
    which tells the job to make a fresh container with the current configuration. A start
    must fit the owner's quotas on running notebooks.
    """

    async def load() -> Notebook:
        return await get_owned(db, user, notebook_id)

    return await _set_desired(
        db, redis, queue, settings, load, desired, restart=restart, purge=purge, reason=None
    )


async def get_any(db: AsyncSession, notebook_id: int) -> Notebook:
    """Any user's notebook (for administration)."""
    notebook = await db.get(Notebook, notebook_id, populate_existing=True)
    if notebook is None or notebook.desired_state == DesiredState.deleted:
        raise NotFound("notebook not found")
    return notebook


async def stop_or_delete_any(
    db: AsyncSession,
    redis: Redis,
    queue: ArqRedis,
    settings: Settings,
    notebook_id: int,
    desired: DesiredState,
    *,
    purge: bool = False,
    reason: str,
) -> Notebook:
    """Stop or delete any user's notebook, saying why (`stopped: …`) to its owner."""
    assert desired != DesiredState.running

    async def load() -> Notebook:
        return await get_any(db, notebook_id)

    return await _set_desired(
        db, redis, queue, settings, load, desired, restart=False, purge=purge, reason=reason
    )


async def stop_all_of(
    db: AsyncSession, redis: Redis, queue: ArqRedis, settings: Settings, owner_id: int, reason: str
) -> list[int]:
    """Stop every notebook of a user that is not stopped already; their ids."""
    rows = await db.exec(
        select(Notebook.id).where(
            Notebook.owner_id == owner_id, Notebook.desired_state == DesiredState.running
        )
    )
    stopped: list[int] = []
    for notebook_id in rows.all():
        assert notebook_id is not None
        with contextlib.suppress(NotFound):
            await stop_or_delete_any(
                db, redis, queue, settings, notebook_id, DesiredState.stopped, reason=reason
            )
            stopped.append(notebook_id)
    return stopped


async def _set_desired(
    db: AsyncSession,
    redis: Redis,
    queue: ArqRedis,
    settings: Settings,
    load: Callable[[], Awaitable[Notebook]],
    desired: DesiredState,
    *,
    restart: bool,
    purge: bool,
    reason: str | None,
) -> Notebook:
    for attempt in range(WRITE_ATTEMPTS):
        notebook = await load()  # first: another's or a missing notebook is a 404, not a 503
        if attempt == 0 and desired != DesiredState.stopped:
            await _require_docker(redis)
        if desired == DesiredState.running:
            values = await effective(db, settings)
            await policy.check_running(
                db,
                values,
                notebook.owner_id,
                cpus=notebook.cpus,
                memory_mb=notebook.memory_mb,
                excluding=notebook.id,
            )
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
        if reason is not None:
            fields["status_reason"] = reason
        saved = await save_changes(db, redis, notebook, "status", **fields)
        if saved is not None:
            await enqueue_converge(queue, saved.key, saved.generation)
            return saved
    raise Conflict("the notebook keeps changing; retry")
