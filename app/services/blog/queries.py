"""Reading posts: the author's list with filters, one post, and their public shapes.

A page of summaries is a handful of queries whatever its size: the posts, then their
authors, tags, covers and notebook snapshots, each for the whole page at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import NotFound
from app.models.post import (
    Post,
    PostAuthor,
    PostNotebookInfo,
    PostPublic,
    PostQuery,
    PostsPublic,
    PostStatus,
    PostSummary,
)
from app.models.post_parts import PostImage, PostNotebook, PostTag
from app.models.user import User
from app.services.blog.images import image_path
from app.services.blog.renderer import reading_minutes
from app.services.blog.slugs import tag_slug


@dataclass(frozen=True, slots=True)
class Links:
    """Where posts are: `api(id)` in the API (from the request), pages under `site`."""

    api: Callable[[int], str]
    site: str

    def page(self, slug: str) -> str:
        return f"{self.site.rstrip('/')}/blog/{slug}"


async def owned_post(db: AsyncSession, user_id: int, post_id: int) -> Post:
    post = await db.get(Post, post_id, populate_existing=True)
    if post is None or post.author_id != user_id:
        raise NotFound("post not found")
    return post


async def tags_by_post(db: AsyncSession, post_ids: Sequence[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = defaultdict(list)
    if post_ids:
        rows = await db.exec(
            select(col(PostTag.post_id), col(PostTag.name))
            .where(col(PostTag.post_id).in_(post_ids))
            .order_by(col(PostTag.post_id), col(PostTag.position))
        )
        for post_id, name in rows.all():
            tags[post_id].append(name)
    return tags


async def summaries(db: AsyncSession, posts: Sequence[Post], links: Links) -> list[PostSummary]:
    ids = [p.id for p in posts if p.id is not None]
    if not ids:
        return []
    author_ids = {p.author_id for p in posts}
    names = dict(
        (
            await db.exec(
                select(col(User.id), col(User.username)).where(col(User.id).in_(author_ids))
            )
        ).all()
    )
    tags = await tags_by_post(db, ids)
    covers = await cover_paths(db, {p.cover_image_id for p in posts if p.cover_image_id})
    snapshots = await db.exec(select(PostNotebook).where(col(PostNotebook.post_id).in_(ids)))
    notebooks: dict[int, PostNotebook] = {n.post_id: n for n in snapshots}
    return [
        PostSummary(
            id=p.id,
            author=PostAuthor(id=p.author_id, username=names.get(p.author_id, "")),
            title=p.title,
            slug=p.slug,
            summary=p.summary,
            tags=tags.get(p.id, []),
            status=PostStatus(p.status),
            publish_at=p.publish_at,
            published_at=p.published_at,
            cover_image_id=p.cover_image_id,
            cover_image_url=covers.get(p.cover_image_id) if p.cover_image_id else None,
            reading_minutes=reading_minutes(p.word_count),
            version=p.version,
            created_at=p.created_at,
            updated_at=p.updated_at,
            url=links.api(p.id),
            public_url=links.page(p.slug),
            notebook=notebook_info(notebooks.get(p.id)),
        )
        for p in posts
        if p.id is not None
    ]


def notebook_info(snapshot: PostNotebook | None) -> PostNotebookInfo | None:
    if snapshot is None:
        return None
    return PostNotebookInfo(
        notebook_id=snapshot.notebook_id,
        path=snapshot.path,
        show_input=snapshot.show_input,
        cells=list(snapshot.cells),
        imported_at=snapshot.imported_at,
    )


async def to_public(db: AsyncSession, post: Post, links: Links) -> PostPublic:
    (summary,) = await summaries(db, [post], links)
    return PostPublic(**summary.model_dump(), body=post.body, excerpt=post.excerpt, html=post.html)


async def list_posts(db: AsyncSession, user_id: int, query: PostQuery, links: Links) -> PostsPublic:
    where = [col(Post.author_id) == user_id]
    if query.status is not None:
        where.append(col(Post.status) == query.status.value)
    if query.tag is not None:
        tagged = select(col(PostTag.post_id)).where(col(PostTag.slug) == tag_slug(query.tag))
        where.append(col(Post.id).in_(tagged))
    needle = (query.q or "").strip()
    if needle:
        where.append(
            or_(
                col(Post.title).icontains(needle, autoescape=True),
                col(Post.body).icontains(needle, autoescape=True),
            )
        )
    total = (await db.exec(select(func.count()).select_from(Post).where(*where))).one()
    rows = await db.exec(
        select(Post)
        .where(*where)
        .order_by(col(Post.updated_at).desc(), col(Post.id).desc())
        .limit(query.limit)
        .offset(query.offset)
    )
    return PostsPublic(data=await summaries(db, list(rows.all()), links), count=total)


async def cover_paths(db: AsyncSession, image_ids: set[int]) -> dict[int, str]:
    if not image_ids:
        return {}
    rows = await db.exec(
        select(col(PostImage.id), col(PostImage.key), col(PostImage.content_type)).where(
            col(PostImage.id).in_(image_ids)
        )
    )
    return {i: image_path(key, ctype) for i, key, ctype in rows.all() if i is not None}
