"""The shapes of the administration API: users and notebooks as an admin sees them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, StrictBool
from sqlmodel import Field, SQLModel

from app.models.notebook import NotebookPublic
from app.models.user import USERNAME_PATTERN


class AdminUserPublic(SQLModel):
    id: int
    username: str
    is_admin: bool
    disabled: bool
    created_at: datetime
    notebook_count: int = 0


class AdminUserList(SQLModel):
    data: list[AdminUserPublic]
    count: int


class AdminUserCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    username: str = Field(min_length=1, max_length=64, schema_extra={"pattern": USERNAME_PATTERN})
    password: str | None = Field(
        default=None,
        min_length=8,
        max_length=1024,
        description="Omitted: a random one is made and shown once in the answer.",
    )
    is_admin: StrictBool = False


class AdminUserCreated(AdminUserPublic):
    """The answer to a create or a password reset: the generated password, shown this once."""

    initial_password: str | None = None


class AdminUserUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    disabled: StrictBool | None = None
    is_admin: StrictBool | None = None


class PasswordReset(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    password: str | None = Field(
        default=None, min_length=8, max_length=1024, description="Omitted: a random one."
    )


KeepOrRemove = Literal["keep", "remove"]


class AdminUserDeleted(SQLModel):
    id: int
    username: str
    notebooks_removed: int
    volumes_kept: list[str]
    posts: KeepOrRemove


class AdminNotebook(NotebookPublic):
    owner_id: int
    owner: str


class AdminNotebookList(SQLModel):
    data: list[AdminNotebook]
    count: int
