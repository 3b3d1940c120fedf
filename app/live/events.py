"""Live events: what changed, published on Redis pub/sub for the api processes to fan out.

Publishers (api services, the worker's jobs and watcher) call `publish`, on the channel of
the event's owner. Each api process holds a single subscription, to the channels of the
users it has WebSockets of, and forwards an event only to its owner's WebSockets.

The policy, for every publisher: an event follows a committed change, so publishing never
fails the change. A Redis error is logged and the caller carries on; saying "error" for a
change that was saved would be worse than a tab that missed it. The feed heals such tabs:
a reconnecting tab gets a versioned snapshot (and refetches its todos), and each api process
drops its tabs when its own subscription comes back after a loss (app/live/hub.py).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import RedisError

CHANNEL = "workspace:events"
log = logging.getLogger(__name__)


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


def event(
    user_id: int,
    topic: Topic,
    action: Action,
    id: int,
    *,
    version: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    return Event(user_id=user_id, topic=topic, action=action, id=id, version=version, data=data)


async def publish(redis: Redis, *events: Event) -> None:
    """Send `events` in order, in one round trip; never raises (see the policy above)."""
    if not events:
        return
    try:
        async with redis.pipeline(transaction=False) as pipe:
            for event in events:
                pipe.publish(channel_for(redis, event.user_id), event.model_dump_json())
            await pipe.execute()
    except (RedisError, OSError):
        log.warning("could not publish %d live event(s)", len(events), exc_info=True)
