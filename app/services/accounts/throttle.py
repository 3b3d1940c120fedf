"""Sign-in throttling, counted in Redis so every api process shares it.

Each attempt is counted before its password is checked, atomically with the check against
the limits (one Lua script), so concurrent attempts cannot all slip through before any
failure is recorded. Two counts: per username, whatever the address (guessing one account
from many addresses), and per client address, whatever the username (one password sprayed
over many accounts). IPv6 clients are counted per /64, which one host usually holds whole.
A successful sign-in gives its attempt back and clears its username's count.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from redis.asyncio import Redis

from app.core.errors import TooManyRequests

# KEYS: the username's and the address's counters. ARGV: their limits, the window.
# Returns 0 when the attempt may go ahead (and is counted), else the seconds to wait.
_ATTEMPT = """
local by_user = tonumber(redis.call('GET', KEYS[1]) or '0')
local by_address = tonumber(redis.call('GET', KEYS[2]) or '0')
if by_user >= tonumber(ARGV[1]) then return math.max(redis.call('TTL', KEYS[1]), 1) end
if by_address >= tonumber(ARGV[2]) then return math.max(redis.call('TTL', KEYS[2]), 1) end
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[3], 'NX')
end
return 0
"""
# Gives an attempt back (never below zero) and clears the username's count.
_SUCCEEDED = """
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0
"""
_PREFIX = "workspace:login-attempts"


def address_key(client: str) -> str:
    """What an address is counted as: itself, or its /64 for IPv6."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class LoginThrottle:
    redis: Redis
    max_per_username: int
    max_per_address: int
    window_seconds: int

    def _keys(self, username: str, client: str) -> list[str]:
        return [
            f"{_PREFIX}:user:{username.lower()}",
            f"{_PREFIX}:address:{address_key(client)}",
        ]

    async def attempt(self, username: str, client: str) -> None:
        """Count one sign-in attempt, or raise TooManyRequests without counting it."""
        limits = (self.max_per_username, self.max_per_address, self.window_seconds)
        wait = await self.redis.register_script(_ATTEMPT)(
            keys=self._keys(username, client), args=[str(n) for n in limits]
        )
        if int(wait) > 0:
            raise TooManyRequests(
                "too many sign-in attempts; try again later", retry_after=int(wait)
            )

    async def succeeded(self, username: str, client: str) -> None:
        await self.redis.register_script(_SUCCEEDED)(keys=self._keys(username, client))
