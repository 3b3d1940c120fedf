"""Blog posts: the table, and the shapes of the API (create, partial update, public, filters).

The other tables of the blog (tags, old slugs, revisions, images, notebook snapshots) are in
`app.models.post_parts`.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    ConfigDict,
    StrictInt,
    StringConstraints,
    field_validator,
)
from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.todo_fields import DbId, reject_null
from app.models.types import UTCDateTime

TITLE_MAX = 200
BODY_MAX = 1_000_000
EXCERPT_MAX = 2_000
SLUG_MAX = 100
TAG_MAX = 40
TAGS_MAX = 20
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


class PostStatus(StrEnum):
    draft = "draft"
    scheduled = "scheduled"  # goes live at `publish_at` (the worker publishes it)
    published = "published"
    unlisted = "unlisted"  # reachable by its link, in no list, feed or sitemap


# Reachable by anyone who has the link; the others only by their author.
VISIBLE = frozenset({PostStatus.published, PostStatus.unlisted})


class Post(SQLModel, table=True):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_status_published_at", "status", "published_at"),
        Index("ix_posts_author_id_updated_at", "author_id", "updated_at"),
        Index("ix_posts_status_publish_at", "status", "publish_at"),
        # SQLite: ids are never reused (a deleted post's id could otherwise come back and
        # match an old link, revision or live event).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    title: str = Field(max_length=TITLE_MAX)
    slug: str = Field(max_length=SLUG_MAX, unique=True)
    body: str = Field(default="", sa_type=Text)
    # As the author wrote it; None: `<!--more-->` or the first paragraph decides.
    excerpt: str | None = Field(default=None, sa_type=Text)
    # Derived at every save by the renderer (one renderer: preview and page never differ).
    html: str = Field(default="", sa_type=Text)
    summary: str = Field(default="", sa_type=Text)
    word_count: int = 0
    status: str = Field(default=PostStatus.draft.value, max_length=16)
    publish_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cover_image_id: int | None = Field(
        default=None, foreign_key="post_images.id", ondelete="SET NULL"
    )
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError("a slug is lowercase letters, digits and single hyphens, e.g. 'my-post'")
    return value


def _check_tag(value: str) -> str:
    if "," in value or "/" in value:
        raise ValueError("a tag may not contain commas or slashes")
    return value


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)]
Body = Annotated[str, StringConstraints(max_length=BODY_MAX)]
Excerpt = Annotated[str, StringConstraints(strip_whitespace=True, max_length=EXCERPT_MAX)]
Slug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=SLUG_MAX),
    AfterValidator(_check_slug),
]
TagName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TAG_MAX),
    AfterValidator(_check_tag),
]
TagNames = Annotated[list[TagName], Field(max_length=TAGS_MAX)]


class PostCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    title: Title
    body: Body = Field(default="", description="Markdown (CommonMark and a few extensions).")
    slug: Slug | None = Field(default=None, description="Default: made from the title.")
    tags: TagNames = Field(default_factory=list, description="Public tags, in this order.")
    status: PostStatus = PostStatus.draft
    publish_at: AwareDatetime | None = Field(
        default=None,
        description="`scheduled`: when it goes live (in the future). `published`: the date "
        "shown (default: now).",
    )
    excerpt: Excerpt | None = Field(
        default=None, description="Default: the text above `<!--more-->`, or the first paragraph."
    )
    cover_image_id: DbId | None = Field(default=None, description="One of your post images.")


class PostUpdate(SQLModel):
    """Partial: only the fields sent change; `version` is the version this edit is based on."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    version: StrictInt = Field(ge=1, description="A stale version answers 409.")
    title: Title | None = None
    body: Body | None = None
    slug: Slug | None = Field(default=None, description="The old slug then redirects here.")
    tags: TagNames | None = None
    status: PostStatus | None = None
    publish_at: AwareDatetime | None = Field(default=None, description="null clears it.")
    excerpt: Excerpt | None = Field(default=None, description="null: derived from the body.")
    cover_image_id: DbId | None = Field(default=None, description="null removes the cover.")

    _not_null = field_validator("title", "body", "slug", "tags", "status")(reject_null)


class PostPreview(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    body: Body
    post_id: DbId | None = Field(
        default=None,
        description="A post of yours: the preview ends with its notebook snapshot, as its "
        "page does. Another's is a 404.",
    )


class PostHtml(SQLModel):
    html: str = Field(description="Sanitized HTML, exactly as the public page shows it.")


class PostAuthor(SQLModel):
    id: int
    username: str


class PostNotebookInfo(SQLModel):
    """Where a notebook post's snapshot came from."""

    notebook_id: int | None = Field(description="null: uploaded, or the notebook is gone.")
    path: str
    show_input: bool
    cells: list[str] = Field(description="Ids of the cells that have output (for embedding).")
    imported_at: datetime


class PostSummary(SQLModel):
    """A post in a list: everything but its body and HTML."""

    id: int
    author: PostAuthor
    title: str
    slug: str
    summary: str = Field(description="The excerpt as plain text.")
    tags: list[str]
    status: PostStatus
    publish_at: datetime | None
    published_at: datetime | None
    cover_image_id: int | None
    cover_image_url: str | None
    reading_minutes: int
    version: int = Field(description="+1 on every change; live events carry it too.")
    created_at: datetime
    updated_at: datetime
    url: str = Field(description="This post in the API.")
    public_url: str = Field(description="Its public page (404 to others unless published).")
    notebook: PostNotebookInfo | None = None


class PostPublic(PostSummary):
    body: str
    excerpt: str | None = Field(description="As written; null: derived from the body.")
    html: str


class PostsPublic(SQLModel):
    data: list[PostSummary]
    count: int = Field(description="All posts matching the filters, not only this page.")


class PostQuery(SQLModel):
    """The query of `GET /api/posts`: your posts."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    status: PostStatus | None = None
    q: str | None = Field(default=None, max_length=200, description="Text in the title or body.")
    tag: TagName | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=2**31 - 1)
