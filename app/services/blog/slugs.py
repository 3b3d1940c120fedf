"""Slugs: made from titles, unique among current slugs, and remembered when they change so
an old link answers 301 to the post's current address."""

from __future__ import annotations

import re
import unicodedata

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict, Invalid
from app.models.post import SLUG_MAX, Post
from app.models.post_parts import PostSlug

# Paths of the public site beside /blog/{slug}.
RESERVED = frozenset({"search", "tags", "authors", "images", "assets", "feed", "page"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[\W_]+")


def slugify(text: str, *, max_length: int = SLUG_MAX) -> str:
    """ASCII lowercase words joined by hyphens; `post` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "post"


def tag_slug(name: str) -> str:
    """A tag's URL form, and what makes two tags the same (`Python` is `python`): letters
    of any script, digits and hyphens (`C++` is `c`; a tag of symbols only, its hex)."""
    slug = _NOT_WORD.sub("-", name.casefold()).strip("-_")[:SLUG_MAX]
    return slug or name.encode().hex()[:SLUG_MAX]


async def _taken_by(db: AsyncSession, slug: str) -> int | None:
    return (await db.exec(select(col(Post.id)).where(col(Post.slug) == slug))).first()


async def free_slug(db: AsyncSession, base: str) -> str:
    """`base`, or `base-2`, `base-3`...: the first no post has now."""
    candidate, n = base, 1
    while candidate in RESERVED or await _taken_by(db, candidate) is not None:
        n += 1
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


async def claim(db: AsyncSession, slug: str, post_id: int | None) -> None:
    """Make `slug` usable by the post: 409 when another post has it now. An old slug of
    another post is taken over (its redirect ends); the post's own old one comes back."""
    if slug in RESERVED:
        raise Invalid(f"{slug!r} is reserved for the site's own pages", field="slug")
    owner = await _taken_by(db, slug)
    if owner is not None and owner != post_id:
        raise Conflict(f"the slug {slug!r} is taken by another post", field="slug")
    await db.exec(delete(PostSlug).where(col(PostSlug.slug) == slug))


def remember(db: AsyncSession, old_slug: str, post_id: int) -> None:
    db.add(PostSlug(slug=old_slug, post_id=post_id))


async def redirect_target(db: AsyncSession, slug: str) -> Post | None:
    """The post an old slug now belongs to."""
    query = select(Post).join(PostSlug, col(PostSlug.post_id) == col(Post.id))
    return (await db.exec(query.where(col(PostSlug.slug) == slug))).first()
