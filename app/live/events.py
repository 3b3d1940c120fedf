"""Live events: what changed, published on Redis pub/sub for the api processes to fan out.

Publishers (api services, the notebook watcher) call `publish`, on the channel of the
event's owner. Each api process holds a single subscription, to the channels of the users
it has WebSockets of, and forwards an event only to its owner's WebSockets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from redis.asyncio import Redis

CHANNEL = "workspace:events"


def channel_prefix(redis: Redis) -> str:
    """Pub/sub ignores Redis's database numbers; channels name ours, so installations
    sharing a server on different databases (or the tests) never see each other's events."""
    db = redis.connection_pool.connection_kwargs.get("db", 0)
    return f"{CHANNEL}:{db}"


def channel_for(redis: Redis, user_id: int) -> str:
    """One channel per user: an api process subscribes to the users it has tabs of, so an
    event wakes only the processes that send it somewhere."""
    return f"{channel_prefix(redis)}:user:{user_id}"


def every_user_channel(redis: Redis) -> str:
    """The pattern of every user's channel, for observers (tests, benches)."""
    return f"{channel_prefix(redis)}:user:*"


def keepalive_channel(redis: Redis) -> str:
    """Subscribed by each api process besides its users' channels (nobody publishes on it),
    so that its subscription stays open while it has no tabs."""
    return f"{channel_prefix(redis)}:keepalive"


Topic = Literal["notebook", "todo", "list", "tag", "post"]
Action = Literal["created", "updated", "deleted", "status", "snapshot"]


class Event(BaseModel):
    user_id: int
    topic: Topic
    action: Action
    id: int
    # Monotonic per object where the object has a version; clients drop older ones.
    version: int | None = None
    data: dict[str, Any] | None = None


async def publish(redis: Redis, event: Event) -> None:
    await redis.publish(channel_for(redis, event.user_id), event.model_dump_json())
