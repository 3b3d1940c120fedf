"""uvicorn's WebSocket protocol, plus one ASGI extension: writing a pre-encoded frame.

The live feed sends every event to each open tab of its owner. Through ASGI, that is one
`send()` per connection, and starlette, uvicorn and websockets each add their share of
Python per client. But the frame is the same for every connection, so the event hub encodes
it once (`encode_text_frame`) and hands it to each connection's `write_frame`, which checks
the connection and writes it to the socket (bench/event_latency.py measures the fan-out).

uvicorn runs with `--ws app.live.protocol:FeedWebSocketProtocol` wherever `workspace serve`
starts the api (app/server.py). Under a server without the extension, the feed falls back
to ordinary ASGI sends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

# `scope["extensions"][FRAME_WRITER]["write"]`: a FrameWriter for this connection.
FRAME_WRITER = "workspace.frame_writer"

FrameWriter = Callable[[bytes], bool]


def encode_text_frame(text: str) -> bytes:
    """One complete, unmasked and uncompressed text frame, as a server sends it.

    Uncompressed is valid even where permessage-deflate was negotiated (RFC 7692: a
    message is compressed only when its first frame says so).
    """
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


def frame_writer(scope: Mapping[str, object]) -> FrameWriter | None:
    """The connection's frame writer, if the server provides one."""
    extensions = cast("dict[str, dict[str, object]]", scope.get("extensions") or {})
    return cast("FrameWriter | None", extensions.get(FRAME_WRITER, {}).get("write"))


class FeedWebSocketProtocol(WebSocketsSansIOProtocol):
    async def run_asgi(self) -> None:
        self.scope.setdefault("extensions", {})[FRAME_WRITER] = {"write": self.write_frame}
        await super().run_asgi()

    def write_frame(self, frame: bytes) -> bool:
        """Write one whole frame from `encode_text_frame`, or return False: when the
        connection is closing, or when its client has fallen behind (the transport's
        buffer is over its high-water mark, where uvicorn's own `send()` would wait)."""
        if (
            self.close_sent
            or self.conn.state is not State.OPEN
            or self.transport.is_closing()
            or not self.writable.is_set()
        ):
            return False
        self.transport.write(frame)
        return True
