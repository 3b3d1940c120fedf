"""Scheduled posts go live: the worker's cron calls `publish_due` every few seconds.

One conditional UPDATE moves every due post, so two workers (or a run that overlaps the
next) never publish a post twice; each one moved is announced on its author's live feed.
"""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import func as sa_func
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.time import utcnow
from app.models.post import Post, PostStatus
from app.services.blog import events
from app.services.blog.queries import Links, summaries


def worker_links(settings: Settings) -> Links:
    """Links without a request: the API under WORKSPACE_PUBLIC_URL."""
    base = settings.public_url.rstrip("/")
    return Links(api=lambda post_id: f"{base}/api/posts/{post_id}", site=base)


async def publish_due(db: AsyncSession, redis: Redis, settings: Settings) -> list[int]:
    """Publish every scheduled post whose time has come; their ids."""
    now = utcnow()
    result = await db.exec(
        update(Post)
        .where(col(Post.status) == PostStatus.scheduled.value, col(Post.publish_at) <= now)
        .values(
            status=PostStatus.published.value,
            published_at=sa_func.coalesce(col(Post.publish_at), now),
            publish_at=None,
            version=col(Post.version) + 1,
            updated_at=now,
        )
        .returning(col(Post.id))
        .execution_options(synchronize_session=False)
    )
    ids = [int(i) for i in result.scalars().all()]
    await db.commit()
    if ids:
        posts = (await db.exec(select(Post).where(col(Post.id).in_(ids)))).all()
        await events.publish_posts(
            redis, "updated", await summaries(db, posts, worker_links(settings))
        )
    return ids
