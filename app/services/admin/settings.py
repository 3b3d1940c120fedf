"""Site settings: the environment gives the defaults, values stored by admins win over them.

`effective` is what the rest of WorkSpace reads (the notebooks service on every create and
start, the worker for the images it checks); `public` is what the settings page shows: each
value, where it comes from, and whether each allowed image is on the engine.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import Invalid
from app.core.time import utcnow
from app.models.site_setting import (
    SETTING_NAMES,
    ImageChoice,
    ImageStatus,
    SiteSetting,
    SiteSettingsPublic,
    SiteSettingsUpdate,
    SiteValues,
    Source,
)
from app.models.user import User
from app.services.admin import audit
from app.services.notebooks import engine_images, engine_status


def environment_values(settings: Settings) -> SiteValues:
    return SiteValues(
        notebook_images=[ImageChoice(image=image) for image in settings.notebook_images],
        notebook_max_cpus=settings.notebook_max_cpus,
        notebook_max_memory_mb=settings.notebook_max_memory_mb,
        notebook_idle_timeout_minutes=settings.notebook_idle_timeout_minutes,
        quota_notebooks=settings.quota_notebooks,
        quota_running_cpus=settings.quota_running_cpus,
        quota_running_memory_mb=settings.quota_running_memory_mb,
    )


async def stored(db: AsyncSession) -> dict[str, Any]:
    rows = (await db.exec(select(SiteSetting))).all()
    return {row.name: row.value for row in rows if row.name in SETTING_NAMES}


def _merge(environment: SiteValues, database: dict[str, Any]) -> SiteValues:
    return SiteValues.model_validate(environment.model_dump() | database)


async def effective(db: AsyncSession, settings: Settings) -> SiteValues:
    return _merge(environment_values(settings), await stored(db))


def _check(values: SiteValues) -> None:
    for choice in values.notebook_images:
        if choice.default_cpus is not None and choice.default_cpus > values.notebook_max_cpus:
            raise Invalid(
                f"{choice.image}: default CPUs above the maximum ({values.notebook_max_cpus})",
                field="notebook_images",
            )
        if (
            choice.default_memory_mb is not None
            and choice.default_memory_mb > values.notebook_max_memory_mb
        ):
            raise Invalid(
                f"{choice.image}: default memory above the maximum "
                f"({values.notebook_max_memory_mb} MB)",
                field="notebook_images",
            )


async def update(
    db: AsyncSession, settings: Settings, actor: User, body: SiteSettingsUpdate
) -> None:
    changes = body.model_dump(mode="json", exclude_unset=True)
    current = await stored(db)
    after = {k: v for k, v in (current | changes).items() if v is not None}
    _check(_merge(environment_values(settings), after))
    cleared = [name for name, value in changes.items() if value is None]
    if cleared:
        await db.exec(delete(SiteSetting).where(col(SiteSetting.name).in_(cleared)))
    for name, value in changes.items():
        if value is None:
            continue
        row = await db.get(SiteSetting, name)
        if row is None:
            row = SiteSetting(name=name, value=value)
        row.value, row.updated_at, row.updated_by_id = value, utcnow(), actor.id
        db.add(row)
    await db.commit()
    await audit.record(db, actor, "settings.update", "site settings", changes=changes)


async def public(db: AsyncSession, redis: Redis, settings: Settings) -> SiteSettingsPublic:
    environment = environment_values(settings)
    database = await stored(db)
    values = _merge(environment, database)
    source: dict[str, Source] = {
        name: "database" if name in database else "environment" for name in SETTING_NAMES
    }
    available, error = await engine_status.read(redis)
    return SiteSettingsPublic(
        effective=values,
        environment=environment,
        database=database,
        source=source,
        images=await image_statuses(redis, values.notebook_images),
        docker_available=available,
        docker_error=error,
    )


async def image_statuses(redis: Redis, choices: list[ImageChoice]) -> list[ImageStatus]:
    present, builds = await engine_images.read(redis)
    by_image = {build.image: build for build in builds}
    return [
        ImageStatus(
            **choice.model_dump(),
            present=None if present is None else present.get(choice.image),
            build=by_image.get(choice.image),
        )
        for choice in choices
    ]
