"""The Redis client shared by an api process (rate limits, events, arq queue)."""

from __future__ import annotations

from redis.asyncio import Redis


def make_redis(url: str) -> Redis:
    redis: Redis = Redis.from_url(url, decode_responses=True, health_check_interval=30)
    return redis
