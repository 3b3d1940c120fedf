"""Which allow-listed images the Docker engine has, and image builds under way, as the worker
last said in Redis (the api never talks to Docker; see engine_status.py)."""

from __future__ import annotations

import json

from pydantic import TypeAdapter
from redis.asyncio import Redis

from app.models.site_setting import ImageBuild

KEY = "workspace:docker-images"
TTL_SECONDS = 45
_BUILDS = TypeAdapter(list[ImageBuild])


async def report(redis: Redis, present: dict[str, bool], builds: list[ImageBuild]) -> None:
    payload = {"present": present, "builds": _BUILDS.dump_python(builds, mode="json")}
    await redis.set(KEY, json.dumps(payload), ex=TTL_SECONDS)


async def read(redis: Redis) -> tuple[dict[str, bool] | None, list[ImageBuild]]:
    """(image → on the engine, or None when no worker reports), and the builds it saw."""
    raw = await redis.get(KEY)
    if raw is None:
        return None, []
    data = json.loads(raw)
    return {str(k): bool(v) for k, v in data["present"].items()}, _BUILDS.validate_python(
        data["builds"]
    )
