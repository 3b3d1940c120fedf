"""Failed sign-in throttling, counted in Redis so every api process shares it."""

from __future__ import annotations

from redis.asyncio import Redis

from app.core.errors import TooManyRequests


class LoginThrottle:
    def __init__(self, redis: Redis, *, max_failures: int, window_seconds: int) -> None:
        self._redis = redis
        self._max = max_failures
        self._window = window_seconds

    @staticmethod
    def _key(username: str, client: str) -> str:
        return f"workspace:login-failures:{client}:{username.lower()}"

    async def check(self, username: str, client: str) -> None:
        key = self._key(username, client)
        failures = await self._redis.get(key)
        if failures is not None and int(failures) >= self._max:
            ttl = await self._redis.ttl(key)
            raise TooManyRequests(
                "too many failed sign-ins; try again later", retry_after=max(int(ttl), 1)
            )

    async def record_failure(self, username: str, client: str) -> None:
        key = self._key(username, client)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self._window, nx=True)
            await pipe.execute()

    async def reset(self, username: str, client: str) -> None:
        await self._redis.delete(self._key(username, client))
