"""Jupyter's kernel messaging, without jupyter_client: the messages, both WebSocket framings
(JSON text, or the binary `v1.kernel.websocket.jupyter.org` protocol JupyterLab speaks) and
what one execution produced."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
_PARTS = ("header", "parent_header", "metadata", "content")


def execute_request(code: str, session: str) -> dict[str, Any]:
    """An `execute_request` on the shell channel, in the JSON WebSocket framing."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "workspace",
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


def encode_v1(message: dict[str, Any]) -> bytes:
    """A message in Jupyter's binary WebSocket protocol: offsets, channel, then the parts."""
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
    return message


def decode(data: str | bytes) -> dict[str, Any]:
    message: dict[str, Any] = decode_v1(data) if isinstance(data, bytes) else json.loads(data)
    message.setdefault("msg_type", message.get("header", {}).get("msg_type"))
    return message


@dataclass
class Execution:
    """What running one cell produced: `result` is the value's text/plain (None for a
    statement), `stdout`/`stderr` what it printed, `error` set when it raised."""

    reply: dict[str, Any] | None = None
    result: str | None = None
    stdout: str = ""
    stderr: str = ""
    error: dict[str, Any] | None = None
    idle: bool = False
    display: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.reply is not None and self.idle

    @property
    def ok(self) -> bool:
        return self.error is None and (self.reply or {}).get("status") == "ok"

    def add(self, message: dict[str, Any]) -> None:
        """Take one message answering our request (the caller matches `parent_header`)."""
        kind, content = message.get("msg_type"), message.get("content") or {}
        if kind == "execute_reply":
            self.reply = content
        elif kind == "execute_result":
            self.result = content.get("data", {}).get("text/plain")
        elif kind == "display_data":
            text = content.get("data", {}).get("text/plain")
            if text is not None:
                self.display.append(text)
        elif kind == "stream":
            if content.get("name") == "stderr":
                self.stderr += content.get("text", "")
            else:
                self.stdout += content.get("text", "")
        elif kind == "error":
            self.error = content
        elif kind == "status" and content.get("execution_state") == "idle":
            self.idle = True
