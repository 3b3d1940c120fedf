"""What differs between the asynchronous and the synchronous flavour beyond `async`/`await`
(hand-written in both: `workspace._sync._compat` is its twin)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

__all__ = ["connect", "recv", "sleep"]


async def connect(uri: str, **options: Any) -> ClientConnection:
    """websockets' client, imported when a connection is made (the command starts faster)."""
    from websockets.asyncio.client import connect

    return await connect(uri, **options)


async def recv(connection: ClientConnection, timeout: float | None) -> str | bytes:
    """The next message; TimeoutError after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        return await connection.recv()


async def sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)
