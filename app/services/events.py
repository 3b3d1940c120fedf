"""Live events: what changed, published on Redis pub/sub for every api process to fan out.

Publishers (api services, the notebook watcher) call `publish`; each api process holds a
single subscription to the channel and forwards an event only to its owner's WebSockets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from redis.asyncio import Redis

CHANNEL = "workspace:events"


def channel_for(redis: Redis) -> str:
    """Pub/sub ignores Redis's database numbers; the channel names ours, so installations
    sharing a server on different databases (or the tests) never see each other's events."""
    db = redis.connection_pool.connection_kwargs.get("db", 0)
    return f"{CHANNEL}:{db}"


Topic = Literal["notebook", "todo", "list", "tag"]
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
    await redis.publish(channel_for(redis), event.model_dump_json())
