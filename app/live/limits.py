"""How many long-lived connections (WebSockets, log streams) one user holds, across every
api process: each is a lease in a Redis sorted set per user and kind, scored by when it
runs out. Taking one is a single script (drop the lapsed, count, add), so concurrent
opens cannot overshoot; each process renews its own leases while they are open, and a
crashed process's leases lapse by themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
LEASE_SECONDS = 60.0
RENEW_EVERY_SECONDS = 20.0

# KEYS: the user's set of this kind. ARGV: now, the lease's end, its member, the limit.
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil((tonumber(ARGV[2]) - tonumber(ARGV[1])) * 1000))
return 1
"""


@dataclass(frozen=True, slots=True)
class Lease:
    key: str
    member: str


class TooManyConnections(Exception):
    def __init__(self, kind: str, limit: int) -> None:
        super().__init__(f"at most {limit} {kind} at once per user; close one first")
        self.limit = limit


class ConnectionLimits:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._take = redis.register_script(_TAKE)
        self._process = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._held: set[Lease] = set()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._renew(), name="connection-leases")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def acquire(self, kind: str, user_id: int, limit: int) -> Lease:
        """A lease for one connection of `kind` (say "log streams"), to `release` when it
        ends; raises TooManyConnections when the user holds `limit` already."""
        key = f"workspace:connections:{kind.replace(' ', '-')}:{user_id}"
        lease = Lease(key, f"{self._process}-{uuid.uuid4().hex}")
        now = time.time()
        taken = await self._take(
            keys=[lease.key], args=[str(now), str(now + LEASE_SECONDS), lease.member, str(limit)]
        )
        if not int(taken):
            raise TooManyConnections(kind, limit)
        self._held.add(lease)
        return lease

    async def release(self, lease: Lease) -> None:
        self._held.discard(lease)
        with contextlib.suppress(RedisError, OSError):
            await self._redis.zrem(lease.key, lease.member)

    @contextlib.asynccontextmanager
    async def hold(self, kind: str, user_id: int, limit: int) -> AsyncIterator[Lease]:
        """`acquire` for the length of a block."""
        lease = await self.acquire(kind, user_id, limit)
        try:
            yield lease
        finally:
            await self.release(lease)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY_SECONDS)
            held = tuple(self._held)
            if not held:
                continue
            until = time.time() + LEASE_SECONDS
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for lease in held:
                        pipe.zadd(lease.key, {lease.member: until}, xx=True)
                        pipe.expire(lease.key, int(LEASE_SECONDS) + 1)
                    await pipe.execute()
            except (RedisError, OSError):
                log.warning("could not renew %d connection leases", len(held), exc_info=True)
