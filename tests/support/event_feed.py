"""A WebSocket client of the live feed (`/api/events`) that records every message in order,
and waits for the ones a test expects."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import websockets


class EventFeed:
    """A WebSocket client of /api/events that records every message in order."""

    def __init__(self, connection: websockets.ClientConnection) -> None:
        self.connection = connection
        self.messages: list[dict[str, Any]] = []
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.connection:
                async with self._changed:
                    self.messages.append(json.loads(raw))
                    self._changed.notify_all()

    def statuses(self, notebook_id: int) -> list[str]:
        """The notebook's statuses in the order received, repeats folded."""
        seen: list[str] = []
        for m in self.messages:
            ours = m.get("type") == "event" and m.get("topic") == "notebook"
            if ours and m["id"] == notebook_id and (not seen or seen[-1] != m["data"]["status"]):
                seen.append(m["data"]["status"])
        return seen

    async def wait_for(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60, since: int = 0
    ) -> dict[str, Any]:
        """The first message from `since` on (an index into `messages`) that `predicate`
        accepts, waiting for it."""

        async def find() -> dict[str, Any]:
            async with self._changed:
                seen = since
                while True:
                    for message in self.messages[seen:]:
                        if predicate(message):
                            return message
                    seen = len(self.messages)
                    await self._changed.wait()

        return await asyncio.wait_for(find(), timeout)

    async def wait_status(
        self, notebook_id: int, status: str, timeout: float = 60, since: int = 0
    ) -> dict[str, Any]:
        def match(m: dict[str, Any]) -> bool:
            return (
                m.get("type") == "event"
                and m.get("topic") == "notebook"
                and m["id"] == notebook_id
                and m["data"]["status"] == status
            )

        try:
            return await self.wait_for(match, timeout, since)
        except TimeoutError:
            reasons = [
                m["data"].get("status_reason")
                for m in self.messages
                if m.get("type") == "event" and m.get("id") == notebook_id
            ]
            raise AssertionError(
                f"notebook {notebook_id} never became {status}; saw {self.statuses(notebook_id)}"
                f" (reasons: {[r for r in reasons if r]})"
            ) from None

    async def closed(self) -> None:
        """Until the server closes the connection."""
        await asyncio.shield(self._reader)

    async def close(self) -> None:
        await self.connection.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
