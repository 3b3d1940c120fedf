"""What the public site reads: listed posts (newest first), one post by slug with its
visibility, and the newest change of a listing (for Last-Modified).

Listed means `published`. `unlisted` posts are reachable by their link only; drafts and
scheduled posts only by their author.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from app.models.post import Post, PostStatus
from app.models.post_parts import PostTag
from app.models.user import User
from app.services.blog import slugs, status


@dataclass(frozen=True, slots=True)
class Listing:
    """Which listed posts: all, one tag's, or one author's."""

    tag: str | None = None  # a tag slug
    author_id: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where = [col(Post.status) == PostStatus.published.value]
        if self.tag is not None:
            tagged = select(col(PostTag.post_id)).where(col(PostTag.slug) == self.tag)
            where.append(col(Post.id).in_(tagged))
        if self.author_id is not None:
            where.append(col(Post.author_id) == self.author_id)
        return where


def _newest_first(query: Any) -> Any:
    return query.order_by(col(Post.published_at).desc(), col(Post.id).desc())


async def page(
    db: AsyncSession, listing: Listing, *, limit: int, offset: int
) -> tuple[list[Post], int]:
    """A page of listed posts and how many there are in all."""
    where = listing.conditions()
    total = (await db.exec(select(func.count()).select_from(Post).where(*where))).one()
    rows = await db.exec(_newest_first(select(Post).where(*where)).limit(limit).offset(offset))
    return list(rows.all()), total


async def state(db: AsyncSession, listing: Listing) -> tuple[int, datetime | None]:
    """How many posts the listing has and its newest change: together they change whenever
    any page of the listing would (see `app.blog_site.cache`)."""
    query = select(func.count(), func.max(col(Post.updated_at))).where(*listing.conditions())
    count, newest = (await db.exec(query)).one()
    return int(count), newest


@dataclass(frozen=True, slots=True)
class Head:
    """Enough of a post to decide who may see it and whether a cached page is current."""

    id: int
    version: int
    status: str
    author_id: int
    updated_at: datetime


async def head(db: AsyncSession, slug: str) -> Head | None:
    row: Any = (
        await db.exec(
            # sqlmodel's select() is typed up to 4 columns; its Select takes any number.
            Select(
                col(Post.id),
                col(Post.version),
                col(Post.status),
                col(Post.author_id),
                col(Post.updated_at),
            ).where(col(Post.slug) == slug)
        )
    ).first()
    return Head(*row) if row is not None else None


def may_see(status_value: str, author_id: int, viewer_id: int | None) -> bool:
    return status.is_public(status_value) or author_id == viewer_id


async def last_modified(db: AsyncSession, listing: Listing) -> datetime | None:
    """When the listing last changed (a listed post's last edit or publication)."""
    query = select(func.max(col(Post.updated_at))).where(*listing.conditions())
    return (await db.exec(query)).one()


async def everything_listed(db: AsyncSession) -> list[tuple[str, datetime]]:
    """(slug, updated_at) of every listed post, for the sitemap."""
    rows = await db.exec(
        _newest_first(select(col(Post.slug), col(Post.updated_at)).where(*Listing().conditions()))
    )
    return list(rows.all())


async def tag_name(db: AsyncSession, tag: str) -> str | None:
    """The tag as a listed post spells it, or None when no listed post has it."""
    query = (
        select(col(PostTag.name))
        .join(Post, col(Post.id) == col(PostTag.post_id))
        .where(col(PostTag.slug) == tag, col(Post.status) == PostStatus.published.value)
        .limit(1)
    )
    return (await db.exec(query)).first()


async def author(db: AsyncSession, username: str) -> User | None:
    """The user, if they have a listed post (so accounts cannot be probed for)."""
    user = (await db.exec(select(User).where(col(User.username) == username))).first()
    if user is None:
        return None
    listed = await db.exec(
        select(col(Post.id)).where(*Listing(author_id=user.id).conditions()).limit(1)
    )
    return user if listed.first() is not None else None


@dataclass(frozen=True, slots=True)
class Found:
    post: Post | None
    redirect_to: str | None = None  # the current slug, when `slug` is an old one


async def by_slug(db: AsyncSession, slug: str, viewer_id: int | None) -> Found:
    """The post at `slug` as `viewer_id` (None: anonymous) may see it."""
    post = (await db.exec(select(Post).where(col(Post.slug) == slug))).first()
    if post is None:
        moved = await slugs.redirect_target(db, slug)
        if moved is not None and _may_see(moved, viewer_id):
            return Found(None, redirect_to=moved.slug)
        return Found(None)
    return Found(post if _may_see(post, viewer_id) else None)


def _may_see(post: Post, viewer_id: int | None) -> bool:
    return may_see(post.status, post.author_id, viewer_id)


async def usernames(db: AsyncSession, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await db.exec(select(col(User.id), col(User.username)).where(col(User.id).in_(user_ids)))
    return {i: name for i, name in rows.all() if i is not None}
