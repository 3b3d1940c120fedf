"""Speaking Jupyter's protocols without jupyter_client: kernels over WebSocket, the contents API.

Shared by the proxy tests and bench/proxy.py.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from tests.support.loopback import ws_target


def execute_request(code: str, session: str) -> dict[str, Any]:
    """An `execute_request` on the shell channel, in the JSON WebSocket framing."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "test",
            "session": session,
            "msg_type": "execute_request",
            "version": "5.3",
            "date": datetime.now(UTC).isoformat(),
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }


V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
_PARTS = ("header", "parent_header", "metadata", "content")


def encode_v1(message: dict[str, Any]) -> bytes:
    """A message in Jupyter's binary WebSocket protocol (what JupyterLab speaks)."""
    channel: bytes = message["channel"].encode()
    parts = [json.dumps(message[name]).encode() for name in _PARTS]
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    for part in (channel, *parts):
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + channel + b"".join(parts)


def decode_v1(data: bytes) -> dict[str, Any]:
    count = int.from_bytes(data[:8], "little")
    offsets = [int.from_bytes(data[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    chunks = [data[offsets[i] : offsets[i + 1]] for i in range(count - 1)]
    message: dict[str, Any] = {"channel": chunks[0].decode()}
    for name, chunk in zip(_PARTS, chunks[1:5], strict=True):
        message[name] = json.loads(chunk)
    message["msg_type"] = message["header"]["msg_type"]
    return message


class Kernel:
    """One kernel's channels WebSocket: send code, collect what it printed and returned.

    Speaks JSON text frames, or the binary v1 protocol when the server chose it.
    """

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
    ) -> Kernel:
        connection = await websockets.connect(
            url,
            **ws_target(url),
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

    async def _recv(self) -> dict[str, Any]:
        data = await self.connection.recv()
        if isinstance(data, bytes):
            return decode_v1(data)
        parsed: dict[str, Any] = json.loads(data)
        return parsed

    async def execute(self, code: str, timeout: float = 60) -> dict[str, Any]:
        """Run `code`; returns {'reply': execute_reply content, 'result': text/plain or None,
        'stdout': printed text}."""
        message = execute_request(code, self.session)
        await self._send(message)
        return await asyncio.wait_for(self._collect(message["header"]["msg_id"]), timeout)

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

    async def _collect(self, msg_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {"reply": None, "result": None, "stdout": "", "idle": False}
        while out["reply"] is None or not out["idle"]:
            msg = await self._recv()
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "execute_reply":
                out["reply"] = msg["content"]
            elif kind == "execute_result":
                out["result"] = msg["content"]["data"].get("text/plain")
            elif kind == "stream" and msg["content"].get("name") == "stdout":
                out["stdout"] += msg["content"]["text"]
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                out["idle"] = True
        return out

    async def close(self) -> None:
        await self.connection.close()
