"""Container logs, carried through Redis: the worker appends lines, the api reads them.

Only the worker holds the Docker socket; a capped Redis stream per notebook gives the api a
tail and a follow mode without ever calling Docker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from redis.asyncio import Redis

MAX_LINES = 5000
# A longer line is cut here and marked, the rest of it dropped: a notebook writing without
# newlines must not grow the worker's buffer or a Redis entry without end.
MAX_LINE_CHARS = 8192
TRUNCATED = " … [line truncated]"


def stream_key(key: str) -> str:
    # By key, never by id: an id can come back (a recreated database), a key cannot.
    return f"workspace:logs:{key}"


async def append(redis: Redis, key: str, line: str) -> None:
    if len(line) > MAX_LINE_CHARS:
        line = line[:MAX_LINE_CHARS] + TRUNCATED
    await redis.xadd(stream_key(key), {"l": line}, maxlen=MAX_LINES, approximate=True)


class LineSplitter:
    """Cuts a stream of text into lines, each at most `limit` characters (plus the mark):
    it keeps at most `limit` characters of an unfinished line, whatever comes."""

    def __init__(self, limit: int = MAX_LINE_CHARS) -> None:
        self._limit = limit
        self._parts: list[str] = []
        self._size = 0
        self._cut = False

    def feed(self, text: str) -> list[str]:
        """The lines that `text` completes."""
        *complete, rest = text.split("\n")
        lines = []
        for piece in complete:
            self._add(piece)
            lines.append(self._take())
        self._add(rest)
        return lines

    def flush(self) -> str | None:
        """What is left of a last line without a newline, if anything."""
        return self._take() if self._parts or self._cut else None

    def _add(self, piece: str) -> None:
        room = self._limit - self._size
        if len(piece) > room:
            piece, self._cut = piece[:room], True
        if piece:
            self._parts.append(piece)
            self._size += len(piece)

    def _take(self) -> str:
        line = "".join(self._parts).rstrip("\r") + (TRUNCATED if self._cut else "")
        self._parts, self._size, self._cut = [], 0, False
        return line


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
