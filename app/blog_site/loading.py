"""Posts as the templates show them: with their author's name, tags and cover, a page of
posts in a few queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from app.blog_site.views import PostView, view
from app.models.post import Post
from app.services.blog import public
from app.services.blog.queries import cover_paths, tags_by_post


async def views(
    db: AsyncSession, posts: Sequence[Post], snippets: dict[int, str] | None = None
) -> list[PostView]:
    ids = [p.id for p in posts if p.id is not None]
    names = await public.usernames(db, {p.author_id for p in posts})
    tags = await tags_by_post(db, ids)
    covers = await cover_paths(db, {p.cover_image_id for p in posts if p.cover_image_id})
    return [
        view(
            p,
            author=names.get(p.author_id, ""),
            tags=tags.get(p.id, []) if p.id is not None else [],
            cover_path=covers.get(p.cover_image_id) if p.cover_image_id else None,
            snippet=(snippets or {}).get(p.id) if p.id is not None else None,
        )
        for p in posts
    ]
