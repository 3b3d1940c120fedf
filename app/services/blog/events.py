"""Live events of the blog (topic `post`), on the author's channel, after commit.

`created` / `updated` carry the `PostSummary` fields (no body or HTML: a tab editing the
post re-reads it); `deleted` carries no data and `version` = the last version + 1.
Published after commit, by `app.live.events.publish` and its policy.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from app.live.events import Action, Event, event, publish
from app.models.post import PostSummary

_SUMMARY_FIELDS = set(PostSummary.model_fields)


def post_event(author_id: int, action: Action, post: PostSummary) -> Event:
    data = post.model_dump(mode="json", include=_SUMMARY_FIELDS)
    return event(author_id, "post", action, post.id, version=post.version, data=data)


async def publish_posts(redis: Redis, action: Action, posts: Sequence[PostSummary]) -> None:
    await publish(redis, *(post_event(p.author.id, action, p) for p in posts))


async def publish_deleted(redis: Redis, author_id: int, post_id: int, version: int) -> None:
    await publish(redis, event(author_id, "post", "deleted", post_id, version=version + 1))
