"""The live feed `/api/events` over a WebSocket, and waiting on it for a notebook's status."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from workspace._async import _compat
from workspace.errors import NotebookFailed, Unauthorized, Unreachable, WaitTimeout
from workspace.feed import Event, Message, Snapshot, parse
from workspace.models import NotebookPublic, Status

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

    from workspace._async.client import AsyncClient


class AsyncFeed:
    """`async with client.feed() as feed`: connected, with `feed.snapshot` read."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._connection: ClientConnection | None = None
        self.snapshot = Snapshot(notebooks=[])

    async def __aenter__(self) -> AsyncFeed:
        await self.connect()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        import websockets

        url = f"{self._client.ws_url}/api/events"
        try:
            self._connection = await _compat.connect(
                url, additional_headers=self._client.auth_headers, proxy=None, max_size=2**24
            )
        except websockets.InvalidStatus as exc:
            # The feed refuses a bad credential before the handshake completes.
            raise Unauthorized(exc.response.status_code, []) from None
        except (OSError, websockets.InvalidHandshake, TimeoutError) as exc:
            cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise Unreachable(self._client.url, f"{cause} (the live feed)") from None
        first = await self.next(timeout=30)
        if isinstance(first, Snapshot):
            self.snapshot = first

    async def next(self, timeout: float | None = None) -> Message | None:
        """The next message (None for a heartbeat); TimeoutError after `timeout` seconds."""
        assert self._connection is not None, "connect() first"
        import websockets

        try:
            raw = await _compat.recv(self._connection, timeout)
        except websockets.ConnectionClosed as exc:
            raise Unreachable(self._client.url, f"the live feed closed ({exc})") from None
        return parse(raw)

    def __aiter__(self) -> AsyncFeed:
        return self

    async def __anext__(self) -> Message:
        while True:
            try:
                message = await self.next()
            except Unreachable:
                raise StopAsyncIteration from None
            if message is not None:
                return message

    async def wait_notebook(
        self,
        current: NotebookPublic,
        until: Collection[Status],
        *,
        timeout: float = 600,
        on_change: Callable[[NotebookPublic], None] | None = None,
    ) -> NotebookPublic:
        """From `current` (as an api call answered it), wait until the notebook's status is
        one of `until`. Raises `NotebookFailed` on `error`, `WaitTimeout` after `timeout`.

        What the feed says of an older version of the notebook is ignored, so a snapshot
        taken before `current` cannot end the wait early."""
        deadline = time.monotonic() + timeout
        if on_change is not None:
            on_change(current)
        rows = [current, *(n for n in self.snapshot.notebooks if n.id == current.id)]
        while True:
            for row in rows:
                if row.version < current.version:
                    continue
                if row.version > current.version:
                    current = row
                    if on_change is not None:
                        on_change(row)
                if current.status in until:
                    return current
                if current.status == Status.error:
                    raise NotebookFailed(current.name, current.status_reason)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeout(
                    f"notebook {current.name!r} is still {current.status} after {timeout:g}s"
                )
            try:
                message = await self.next(remaining)
            except TimeoutError:
                message = None
            rows = _rows(message, current.id)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None


def _rows(message: Message | None, notebook_id: int) -> list[NotebookPublic]:
    """The states of one notebook that a feed message tells."""
    if isinstance(message, Snapshot):
        return [n for n in message.notebooks if n.id == notebook_id]
    if isinstance(message, Event) and message.id == notebook_id and message.notebook:
        return [message.notebook]
    return []
