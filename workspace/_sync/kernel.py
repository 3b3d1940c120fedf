# Generated from workspace/_async/kernel.py by scripts/unasync.py: do not edit.
"""A Jupyter kernel's channels WebSocket: send code, collect what it printed and returned."""

from __future__ import annotations

import json
import time
import uuid
from typing import TYPE_CHECKING, Any

from workspace._sync import _compat
from workspace.jupyter import V1_PROTOCOL, Execution, decode, encode_v1, execute_request

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection


class Kernel:
    """Speaks JSON text frames, or the binary v1 protocol when the server chose it."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.session = uuid.uuid4().hex
        self.binary = connection.subprotocol == V1_PROTOCOL

    @classmethod
    def connect(
        cls,
        url: str,
        headers: dict[str, str],
        *,
        origin: str | None = None,
        subprotocols: list[str] | None = None,
    ) -> Kernel:
        """`url`: `ws[s]://…/api/kernels/{id}/channels`, with the headers that authenticate."""
        import websockets

        connection = _compat.connect(
            url,
            additional_headers=headers,
            origin=websockets.Origin(origin) if origin else None,
            subprotocols=[websockets.Subprotocol(p) for p in subprotocols or []] or None,
            max_size=None,
            proxy=None,
            compression=None,
        )
        return cls(connection)

    def _send(self, message: dict[str, Any]) -> None:
        self.connection.send(encode_v1(message) if self.binary else json.dumps(message))

    def _recv(self, timeout: float | None = None) -> dict[str, Any]:
        return decode(_compat.recv(self.connection, timeout))

    def execute(self, code: str, timeout: float = 60) -> Execution:
        """Run `code` and wait until the kernel is idle again (TimeoutError after `timeout`)."""
        message = execute_request(code, self.session)
        msg_id = message["header"]["msg_id"]
        self._send(message)
        deadline = time.monotonic() + timeout
        out = Execution()
        while not out.done:
            reply = self._recv(max(0.0, deadline - time.monotonic()))
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                out.add(reply)
        return out

    def round_trip(self, code: str = "1") -> None:
        """Send an execute_request and wait for its execute_reply only (for timing)."""
        message = execute_request(code, self.session)
        msg_id = message["header"]["msg_id"]
        self._send(message)
        while True:
            reply = self._recv()
            if (
                reply.get("channel") == "shell"
                and reply["parent_header"].get("msg_id") == msg_id
                and reply["msg_type"] == "execute_reply"
            ):
                return

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
