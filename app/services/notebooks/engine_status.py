"""Whether the worker reaches a Docker engine, as it last said in Redis.

The api never talks to Docker; the worker's watcher refreshes this key while it runs, so a
missing key means no worker is running.
"""

from __future__ import annotations

import json

from redis.asyncio import Redis

KEY = "workspace:docker-status"
TTL_SECONDS = 45


async def report(redis: Redis, *, available: bool, error: str | None = None) -> None:
    await redis.set(KEY, json.dumps({"available": available, "error": error}), ex=TTL_SECONDS)


async def read(redis: Redis) -> tuple[bool, str | None]:
    raw = await redis.get(KEY)
    if raw is None:
        return (
            False,
            "the WorkSpace worker is not running (start it: arq worker.main.WorkerSettings)",
        )
    data = json.loads(raw)
    return bool(data["available"]), data.get("error")
