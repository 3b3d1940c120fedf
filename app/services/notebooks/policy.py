"""What a user may ask of notebooks: images, per-notebook maxima, per-user quotas.

Every value comes from the effective site settings (admins' over the environment's), read
at each create and start, so a change applies to the next request without a restart.
"""

from __future__ import annotations

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import Conflict, Invalid
from app.models.notebook import DesiredState, Notebook
from app.models.site_setting import ImageChoice, SiteValues


class QuotaExceeded(Conflict):
    """A per-user quota would be exceeded; `field` names the quota setting."""


def image_choice(values: SiteValues, image: str | None) -> ImageChoice:
    if image is None:
        return values.notebook_images[0]
    for choice in values.notebook_images:
        if choice.image == image:
            return choice
    allowed = ", ".join(c.image for c in values.notebook_images)
    raise Invalid(f"image {image!r} is not allowed; choose one of: {allowed}", field="image")


def check_limits(
    values: SiteValues, *, image: str | None, cpus: float | None, memory_mb: int | None
) -> None:
    if image is not None:
        image_choice(values, image)
    if cpus is not None and cpus > values.notebook_max_cpus:
        raise Invalid(f"at most {values.notebook_max_cpus} CPUs on this server", field="cpus")
    if memory_mb is not None and memory_mb > values.notebook_max_memory_mb:
        raise Invalid(
            f"at most {values.notebook_max_memory_mb} MB on this server", field="memory_mb"
        )


def default_resources(
    values: SiteValues, settings: Settings, choice: ImageChoice
) -> tuple[float, int]:
    """The image's own defaults, else the server's, never above the maxima."""
    cpus = choice.default_cpus or settings.notebook_default_cpus
    memory = choice.default_memory_mb or settings.notebook_default_memory_mb
    return min(cpus, values.notebook_max_cpus), min(memory, values.notebook_max_memory_mb)


async def check_count(db: AsyncSession, values: SiteValues, owner_id: int) -> None:
    """Creating one more notebook must stay within `quota_notebooks`."""
    limit = values.quota_notebooks
    if not limit:
        return
    have = int(
        (
            await db.exec(
                select(func.count()).where(
                    Notebook.owner_id == owner_id, Notebook.desired_state != DesiredState.deleted
                )
            )
        ).one()
    )
    if have + 1 > limit:
        raise QuotaExceeded(
            f"quota reached: at most {limit} notebooks per user (you have {have})",
            field="quota_notebooks",
        )


async def check_running(
    db: AsyncSession,
    values: SiteValues,
    owner_id: int,
    *,
    cpus: float,
    memory_mb: int,
    excluding: int | None = None,
) -> None:
    """Running one more notebook of `cpus` and `memory_mb` must stay within the quotas on
    the owner's running notebooks (those whose desired state is running)."""
    if not values.quota_running_cpus and not values.quota_running_memory_mb:
        return
    query = select(
        func.coalesce(func.sum(Notebook.cpus), 0.0), func.coalesce(func.sum(Notebook.memory_mb), 0)
    ).where(Notebook.owner_id == owner_id, Notebook.desired_state == DesiredState.running)
    if excluding is not None:
        query = query.where(Notebook.id != excluding)
    used_cpus, used_memory = (await db.exec(query)).one()
    cpu_limit, memory_limit = values.quota_running_cpus, values.quota_running_memory_mb
    if cpu_limit and float(used_cpus) + cpus > cpu_limit + 1e-9:
        raise QuotaExceeded(
            f"quota reached: running notebooks may use at most {cpu_limit:g} CPUs per user "
            f"({float(used_cpus):g} in use, this one needs {cpus:g})",
            field="quota_running_cpus",
        )
    if memory_limit and int(used_memory) + memory_mb > memory_limit:
        raise QuotaExceeded(
            f"quota reached: running notebooks may use at most {memory_limit} MB per user "
            f"({int(used_memory)} MB in use, this one needs {memory_mb} MB)",
            field="quota_running_memory_mb",
        )
