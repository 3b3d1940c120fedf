"""Container logs, carried through Redis: the worker appends lines, the api reads them.

Only the worker holds the Docker socket; a capped Redis stream per notebook gives the api a
tail and a follow mode without ever calling Docker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from redis.asyncio import Redis

MAX_LINES = 5000


def stream_key(key: str) -> str:
    # By key, never by id: an id can come back (a recreated database), a key cannot.
    return f"workspace:logs:{key}"


async def append(redis: Redis, key: str, line: str) -> None:
    await redis.xadd(stream_key(key), {"l": line}, maxlen=MAX_LINES, approximate=True)


async def clear(redis: Redis, key: str) -> None:
    await redis.delete(stream_key(key))


async def tail(redis: Redis, key: str, count: int) -> tuple[list[str], str]:
    """The last `count` lines, oldest first, and the stream id to follow from."""
    entries = await redis.xrevrange(stream_key(key), count=count)
    last_id = entries[0][0] if entries else "0-0"
    return [fields["l"] for _id, fields in reversed(entries)], last_id


async def follow(redis: Redis, key: str, after: str) -> AsyncIterator[str]:
    """Lines appended after the stream id `after`, as they come (until the client leaves)."""
    stream = stream_key(key)
    while True:
        batches = await redis.xread({stream: after}, block=15000, count=500)
        if not batches:
            yield ""  # keeps the connection alive; lets the server notice a gone client
            continue
        for _key, entries in batches:
            for entry_id, fields in entries:
                after = entry_id
                yield fields["l"]
