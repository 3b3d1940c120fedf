"""What differs between the asynchronous and the synchronous flavour beyond `async`/`await`
(hand-written in both: `workspace._async._compat` is its twin)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

__all__ = ["connect", "recv", "sleep"]


def connect(uri: str, **options: Any) -> ClientConnection:
    """websockets' client, imported when a connection is made (the command starts faster).
    `host` and `port` name where to connect instead of the URI's host (as the asynchronous
    client takes them; this one wants the socket)."""
    import socket

    from websockets.sync.client import connect

    if "host" in options:
        address = (options.pop("host"), options.pop("port"))
        options["sock"] = socket.create_connection(address)
    connection: ClientConnection = connect(uri, **options)
    return connection


def recv(connection: ClientConnection, timeout: float | None) -> str | bytes:
    """The next message; TimeoutError after `timeout` seconds."""
    return connection.recv(timeout=timeout)


def sleep(seconds: float) -> None:
    time.sleep(seconds)
