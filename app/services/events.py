"""Live events: what changed, published on Redis pub/sub for every api process to fan out.

Publishers (api services, the notebook watcher) call `publish`; each api process holds a
single subscription to CHANNEL and forwards an event only to its owner's WebSockets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from redis.asyncio import Redis

CHANNEL = "workspace:events"

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
    await redis.publish(CHANNEL, event.model_dump_json())
