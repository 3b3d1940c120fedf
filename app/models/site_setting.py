"""Site settings edited by admins: stored per name, over the environment's defaults."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, field_validator, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.types import UTCDateTime

# A Docker image reference: [registry/]name[:tag][@digest], lower-case repository.
IMAGE_PATTERN = r"^[a-z0-9][a-z0-9._/:-]{0,200}(@sha256:[a-f0-9]{64})?$"


class SiteSetting(SQLModel, table=True):
    __tablename__ = "site_settings"

    name: str = Field(primary_key=True, max_length=64)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class ImageChoice(SQLModel):
    """One image of the allow-list, with what a new notebook of it starts with."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    image: str = Field(min_length=1, max_length=255, schema_extra={"pattern": IMAGE_PATTERN})
    description: str = Field(default="", max_length=200)
    default_cpus: float | None = Field(default=None, gt=0, le=64)
    default_memory_mb: int | None = Field(default=None, ge=64, le=1024 * 1024)


class SiteValues(SQLModel):
    """Every admin-editable setting with a value: what wins, or what the environment says."""

    notebook_images: list[ImageChoice]
    notebook_max_cpus: float
    notebook_max_memory_mb: int
    notebook_idle_timeout_minutes: float
    quota_notebooks: int = Field(description="Notebooks per user; 0: no limit.")
    quota_running_cpus: float = Field(
        description="CPUs of a user's running notebooks; 0: no limit."
    )
    quota_running_memory_mb: int = Field(
        description="Memory of a user's running notebooks; 0: no limit."
    )


SETTING_NAMES = tuple(SiteValues.model_fields)
Source = Literal["database", "environment"]


class SiteSettingsUpdate(SQLModel):
    """Partial: a field sent with a value is stored; sent as null, the stored value is dropped
    and the environment's wins again; a field left out is unchanged."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    notebook_images: list[ImageChoice] | None = Field(default=None, min_length=1, max_length=50)
    notebook_max_cpus: float | None = Field(default=None, gt=0, le=64)
    notebook_max_memory_mb: int | None = Field(default=None, ge=64, le=1024 * 1024)
    notebook_idle_timeout_minutes: float | None = Field(default=None, ge=0, le=60 * 24 * 365)
    quota_notebooks: int | None = Field(default=None, ge=0, le=10_000)
    quota_running_cpus: float | None = Field(default=None, ge=0, le=10_000)
    quota_running_memory_mb: int | None = Field(default=None, ge=0, le=1024 * 1024 * 1024)

    @field_validator("notebook_images")
    @classmethod
    def _unique(cls, images: list[ImageChoice] | None) -> list[ImageChoice] | None:
        if images is not None:
            names = [i.image for i in images]
            if len(set(names)) != len(names):
                raise ValueError("an image is listed twice")
        return images

    @model_validator(mode="after")
    def _something(self) -> SiteSettingsUpdate:
        if not self.model_fields_set:
            raise ValueError("send at least one setting")
        return self


class ImageBuild(SQLModel):
    """Progress of an image build by scripts/build-images.sh, as the worker last read it."""

    image: str
    state: Literal["preparing", "building", "done", "failed"]
    step: int | None = None
    total: int | None = None
    detail: str | None = None
    updated_at: datetime | None = None


class ImageStatus(ImageChoice):
    present: bool | None = Field(description="On the Docker engine; null: no worker reports.")
    build: ImageBuild | None = None


class SiteSettingsPublic(SQLModel):
    effective: SiteValues
    environment: SiteValues
    database: dict[str, Any] = Field(description="The stored values (names absent: none).")
    source: dict[str, Source] = Field(description="Per setting, which value wins.")
    images: list[ImageStatus]
    docker_available: bool
    docker_error: str | None
