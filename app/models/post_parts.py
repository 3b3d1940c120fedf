"""The blog's other tables: tags, old slugs, revisions, images and notebook snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import JSON, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.post import SLUG_MAX, TAG_MAX, TITLE_MAX
from app.models.types import UTCDateTime

_NO_REUSE = {"sqlite_autoincrement": True}


class PostTag(SQLModel, table=True):
    """A public tag of a post; `slug` is the tag's URL form and what makes two the same."""

    __tablename__ = "post_tags"

    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE", primary_key=True)
    slug: str = Field(max_length=TAG_MAX * 4, primary_key=True, index=True)
    name: str = Field(max_length=TAG_MAX)
    position: int = 0


class PostSlug(SQLModel, table=True):
    """A slug a post had before: `/blog/{old}` answers 301 to the current one."""

    __tablename__ = "post_slugs"

    slug: str = Field(max_length=SLUG_MAX, primary_key=True)
    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PostRevision(SQLModel, table=True):
    """The post as one save left it; `version` is the post's version after that save."""

    __tablename__ = "post_revisions"
    __table_args__ = (
        UniqueConstraint("post_id", "version", name="uq_post_revisions_post_id_version"),
        _NO_REUSE,
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE")
    version: int
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PostImage(SQLModel, table=True):
    """An uploaded image, its bytes in the database: every api process and a database
    backup have them, with no shared file system to set up."""

    __tablename__ = "post_images"
    __table_args__ = (Index("ix_post_images_owner_id_sha256", "owner_id", "sha256"), _NO_REUSE)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    # In its public URL: random, so images of drafts cannot be found by counting.
    key: str = Field(max_length=32, unique=True)
    content_type: str = Field(max_length=32)
    size: int
    width: int
    height: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PostNotebook(SQLModel, table=True):
    """The frozen snapshot of a notebook post: its HTML, and each cell's output for embeds."""

    __tablename__ = "post_notebooks"

    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE", primary_key=True)
    # None: uploaded as a file, or the notebook server was deleted since.
    notebook_id: int | None = Field(default=None, foreign_key="notebooks.id", ondelete="SET NULL")
    path: str = Field(max_length=1024)
    show_input: bool = True
    html: str = Field(default="", sa_type=Text)
    # {cell id: sanitized output HTML}
    cells: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PostImagePublic(SQLModel):
    id: int
    url: str = Field(description="Public URL; use it in Markdown as `![alt](url)`.")
    content_type: str
    size: int
    width: int
    height: int
    created_at: datetime


class PostImagesPublic(SQLModel):
    data: list[PostImagePublic]
    count: int


class RevisionSummary(SQLModel):
    version: int
    title: str
    created_at: datetime
    size: int = Field(description="Length of the body in characters.")


class RevisionsPublic(SQLModel):
    data: list[RevisionSummary]
    count: int


class RevisionPublic(RevisionSummary):
    body: str
    diff: str = Field(description="Unified diff from this revision's body to the current one.")


class RevisionRestore(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    version: int = Field(
        ge=1, le=2**31 - 1, description="The post version this restore replaces; stale: 409."
    )


class NotebookImport(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    notebook_id: int = Field(ge=1, le=2**31 - 1, description="One of your notebook servers.")
    path: str = Field(
        min_length=1, max_length=1024, description="The .ipynb, relative to Jupyter's root."
    )
    show_input: bool = Field(default=True, description="Show code cells' source.")
    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX)


class NotebookRefresh(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    version: int = Field(ge=1, le=2**31 - 1, description="The post version this is based on.")
    show_input: bool | None = None


class NotebookFile(SQLModel):
    name: str
    path: str
    type: str = Field(description="`directory` or `notebook`.")
    last_modified: datetime | None


class NotebookFiles(SQLModel):
    path: str
    data: list[NotebookFile]
