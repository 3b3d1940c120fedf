"""Jupyter notebook servers: the stored configuration, desired state and observed status."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ConfigDict, field_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.config import MIN_CPUS
from app.core.notebook_origin import new_key
from app.core.time import utcnow
from app.models.site_setting import ImageBuild, ImageStatus
from app.models.types import UTCDateTime, text_enum

NAME_PATTERN = r"^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$"
ENV_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Set by WorkSpace itself; a user value would break access to the server.
RESERVED_ENV_PREFIXES = ("JUPYTER_", "WORKSPACE_")
MAX_ENV_VARS = 50
MAX_ENV_VALUE = 4096
MAX_ENV_TOTAL = 32 * 1024


def notebook_url(key: str) -> str:
    """Where a browser opens the notebook: on the dashboard, which checks the session and
    hands the browser over to JupyterLab on the notebook's own origin (`app.proxy.handoff`)."""
    return f"/notebooks/{key}/lab"


class DesiredState(enum.StrEnum):
    running = "running"
    stopped = "stopped"
    deleted = "deleted"


class Status(enum.StrEnum):
    pending = "pending"
    creating = "creating"
    starting = "starting"
    healthy = "healthy"
    unhealthy = "unhealthy"
    stopping = "stopping"
    stopped = "stopped"
    removed = "removed"
    error = "error"


def _check_env(env: dict[str, str] | None) -> dict[str, str] | None:
    if env is None:
        return None
    if len(env) > MAX_ENV_VARS:
        raise ValueError(f"at most {MAX_ENV_VARS} variables")
    total = 0
    for name, value in env.items():
        if not ENV_NAME_PATTERN.fullmatch(name):
            raise ValueError(f"{name!r} is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)")
        if name.upper().startswith(RESERVED_ENV_PREFIXES):
            raise ValueError(f"{name!r} is reserved (names starting with JUPYTER_ or WORKSPACE_)")
        if len(value) > MAX_ENV_VALUE or "\x00" in value:
            raise ValueError(f"value of {name!r} is too long or has a NUL byte")
        total += len(name) + len(value)
    if total > MAX_ENV_TOTAL:
        raise ValueError(f"variables take more than {MAX_ENV_TOTAL} bytes")
    return env


class NotebookConfig(SQLModel):
    """What a user sets; applied at the next start."""

    image: str = Field(max_length=255)
    cpus: float = Field(ge=MIN_CPUS)
    memory_mb: int = Field(ge=64)
    env: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    keep_volume: bool = True
    # 0 means never; fractions are allowed (0.5 = 30 s).
    idle_timeout_minutes: float = Field(ge=0)


class Notebook(NotebookConfig, table=True):
    __tablename__ = "notebooks"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_notebooks_owner_name"),)

    id: int | None = Field(default=None, primary_key=True)
    # Names the container, volume, network, jobs and logs (`{instance}-nb-{key}`).
    key: str = Field(default_factory=new_key, max_length=32, unique=True, index=True)
    owner_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=48)
    desired_state: DesiredState = Field(
        default=DesiredState.running, sa_type=text_enum(DesiredState)
    )
    # Bumped on every change of desired state: it names the job that converges to it.
    generation: int = 1
    status: Status = Field(default=Status.pending, sa_type=text_enum(Status))
    status_reason: str | None = Field(default=None, max_length=500)
    health: str | None = Field(default=None, max_length=16)
    version: int = 1
    container_id: str | None = Field(default=None, max_length=80)
    host_port: int | None = None
    # The container's own address, when it publishes no port (a network without egress).
    upstream_host: str | None = Field(default=None, max_length=64)
    jupyter_token: str = Field(max_length=128)
    purge_volume: bool = False
    # Made before notebooks had keys: its files are still in the volume named after its id,
    # which the worker copies into its own volume at the next start.
    legacy_volume: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_activity_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NotebookBase(SQLModel):
    """What a user may send about a notebook's configuration: the rules create and update
    share. Every field is optional here; the server's defaults fill what create leaves out."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    image: str | None = Field(default=None, max_length=255)
    cpus: float | None = Field(default=None, ge=MIN_CPUS, le=64)
    memory_mb: int | None = Field(default=None, ge=64, le=1024 * 1024)
    env: dict[str, str] | None = None
    idle_timeout_minutes: float | None = Field(default=None, ge=0, le=60 * 24 * 365)

    @field_validator("env")
    @classmethod
    def _env(cls, env: dict[str, str] | None) -> dict[str, str] | None:
        return _check_env(env)


class NotebookCreate(NotebookBase):
    name: str = Field(min_length=1, max_length=48, schema_extra={"pattern": NAME_PATTERN})
    keep_volume: bool = True


class NotebookUpdate(NotebookBase):
    name: str | None = Field(
        default=None, min_length=1, max_length=48, schema_extra={"pattern": NAME_PATTERN}
    )
    keep_volume: bool | None = None


class NotebookPublic(SQLModel):
    id: int
    key: str
    name: str
    image: str
    cpus: float
    memory_mb: int
    env: dict[str, str]
    keep_volume: bool
    idle_timeout_minutes: float
    desired_state: DesiredState
    status: Status
    status_reason: str | None
    health: str | None
    version: int
    url: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    last_activity_at: datetime | None

    @classmethod
    def of(cls, notebook: Notebook) -> NotebookPublic:
        data: dict[str, Any] = notebook.model_dump()
        return cls(**data, url=notebook_url(notebook.key))

    @classmethod
    def of_row(cls, row: Mapping[Any, Any]) -> NotebookPublic:
        """From a result row's columns, without building a `Notebook` on the way: an ORM
        instance is costly to construct, and the watcher would pay that per event."""
        return cls.model_validate({**row, "url": notebook_url(row["key"])})


class NotebookList(SQLModel):
    data: list[NotebookPublic]
    count: int


class NotebookOptions(SQLModel):
    # Where a notebook's Jupyter is served, `{key}` standing for the notebook's key (scripts
    # send their API token there; browsers open `url`, which hands them over).
    notebook_url_template: str
    images: list[str]
    default_image: str
    max_cpus: float
    max_memory_mb: int
    default_cpus: float
    default_memory_mb: int
    default_idle_timeout_minutes: float
    docker_available: bool
    docker_error: str | None
    image_choices: list[ImageStatus] = Field(default_factory=list)
    # The default image's build while scripts/build-images.sh runs (first run: minutes).
    image_build: ImageBuild | None = None
    quota_notebooks: int = 0
    quota_running_cpus: float = 0
    quota_running_memory_mb: int = 0
