"""Keys of notebooks yet to be created whose networks are already made (worker/spares.py).

The worker offers a key once its network exists; the api gives a new notebook one of them
(`take`, an atomic SPOP, so no two notebooks ever get the same key) and falls back to a
fresh key when none is offered. Keys are random either way: a held one is no more
guessable than a fresh one.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import cast

from redis.asyncio import Redis
from redis.exceptions import RedisError

# redis-py types its set commands for its sync and async clients at once: the casts below
# say which this is.


def _name(instance: str) -> str:
    return f"workspace:{instance}:spare-keys"


async def take(redis: Redis, instance: str) -> str | None:
    """A key whose network is made, no longer offered to anyone else; None if none is."""
    try:
        key = await cast(Awaitable[str | None], redis.spop(_name(instance)))
    except RedisError:
        return None  # a fresh key only costs a network made on the first start
    return str(key) if key else None


async def offer(redis: Redis, instance: str, key: str) -> None:
    await cast(Awaitable[int], redis.sadd(_name(instance), key))


async def withdraw(redis: Redis, instance: str, key: str) -> bool:
    """Offer `key` no longer; False when the api took it first (it is then a notebook's)."""
    return bool(await cast(Awaitable[int], redis.srem(_name(instance), key)))


async def held(redis: Redis, instance: str) -> set[str]:
    return {str(key) for key in await cast(Awaitable[set[str]], redis.smembers(_name(instance)))}
