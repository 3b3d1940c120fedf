"""What differs between the asynchronous and the synchronous flavour beyond `async`/`await`
(hand-written in both: `workspace._sync._compat` is its twin)."""

from __future__ import annotations

import asyncio

from websockets.asyncio.client import ClientConnection, connect

__all__ = ["ClientConnection", "connect", "recv", "sleep"]


async def recv(connection: ClientConnection, timeout: float | None) -> str | bytes:
    """The next message; TimeoutError after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        return await connection.recv()


async def sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)
