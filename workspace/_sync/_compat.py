"""What differs between the asynchronous and the synchronous flavour beyond `async`/`await`
(hand-written in both: `workspace._async._compat` is its twin)."""

from __future__ import annotations

import time

from websockets.sync.client import ClientConnection, connect

__all__ = ["ClientConnection", "connect", "recv", "sleep"]


def recv(connection: ClientConnection, timeout: float | None) -> str | bytes:
    """The next message; TimeoutError after `timeout` seconds."""
    return connection.recv(timeout=timeout)


def sleep(seconds: float) -> None:
    time.sleep(seconds)
