"""A Jupyter kernel's channels WebSocket: send code, collect what it printed and returned."""

from __future__ import annotations

import json
import time
import uuid
from typing import TYPE_CHECKING, Any

from workspace._async import _compat
from workspace.jupyter import V1_PROTOCOL, Execution, decode, encode_v1, execute_request

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection


class AsyncKernel:
    """Speaks JSON text frames, or the binary v1 protocol when the server chose it."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.session = uuid.uuid4().hex
        self.binary = connection.subprotocol == V1_PROTOCOL

    @classmethod
    async def connect(
        cls,
        url: str,
        headers: dict[str, str],
        *,
        origin: str | None = None,
        subprotocols: list[str] | None = None,
    ) -> AsyncKernel:
        """`url`: `ws[s]://…/api/kernels/{id}/channels`, with the headers that authenticate."""
        import websockets

        connection = await _compat.connect(
            url,
            additional_headers=headers,
            origin=websockets.Origin(origin) if origin else None,
            subprotocols=[websockets.Subprotocol(p) for p in subprotocols or []] or None,
            max_size=None,
            proxy=None,
            compression=None,
        )
        return cls(connection)

    async def _send(self, message: dict[str, Any]) -> None:
        await self.connection.send(encode_v1(message) if self.binary else json.dumps(message))

    async def _recv(self, timeout: float | None = None) -> dict[str, Any]:
        return decode(await _compat.recv(self.connection, timeout))

    async def execute(self, code: str, timeout: float = 60) -> Execution:
        """Run `code` and wait until the kernel is idle again (TimeoutError after `timeout`)."""
        message = execute_request(code, self.session)
        msg_id = message["header"]["msg_id"]
        await self._send(message)
        deadline = time.monotonic() + timeout
        out = Execution()
        while not out.done:
            reply = await self._recv(max(0.0, deadline - time.monotonic()))
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                out.add(reply)
        return out

    async def round_trip(self, code: str = "1") -> None:
        """Send an execute_request and wait for its execute_reply only (for timing)."""
        message = execute_request(code, self.session)
        msg_id = message["header"]["msg_id"]
        await self._send(message)
        while True:
            reply = await self._recv()
            if (
                reply.get("channel") == "shell"
                and reply["parent_header"].get("msg_id") == msg_id
                and reply["msg_type"] == "execute_reply"
            ):
                return

    async def close(self) -> None:
        await self.connection.close()

    async def __aenter__(self) -> AsyncKernel:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()
