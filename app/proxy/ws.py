"""WebSockets through the notebook proxy (kernel channels, terminals, collaboration).

The upstream connection is opened first, with the browser's subprotocols; the browser's
handshake is then accepted with the subprotocol Jupyter chose (or refused with Jupyter's
status). Frames pass both ways as they are, text as text and binary as binary, and a
close on either side closes the other with the same code.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import websockets
from starlette.responses import PlainTextResponse
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.typing import Subprotocol

from app.live.revocation import OpenSocket
from app.proxy.access import Target
from app.proxy.http import UpstreamUnavailable, client_ip, upstream_path
from app.proxy.rewrite import upstream_request_headers

# Close codes a peer may send in a close frame (RFC 6455 §7.4); others become 1000/1011.
_SENDABLE = frozenset({1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014})
OPEN_TIMEOUT = 10.0
UPSTREAM_QUEUE_FRAMES = 4


def sendable_code(code: int | None, *, default: int) -> int:
    if code is not None and (code in _SENDABLE or 3000 <= code <= 4999):
        return code
    return default


async def open_upstream(
    websocket: WebSocket, target: Target, *, origin: str | None, max_size: int
) -> ClientConnection:
    """Connect to Jupyter as the browser would, with the notebook's token added.

    The URI names the browser's Host (Jupyter compares Origin with Host); the TCP
    connection goes to the container's published port.
    """
    scope = websocket.scope
    host = websocket.headers.get("host") or target.netloc
    headers = [
        (name, value)
        for name, value in upstream_request_headers(
            scope["headers"],
            host=host,
            client_ip=client_ip(scope),
            scheme="https" if scope.get("scheme") == "wss" else "http",
            jupyter_token=target.jupyter_token,
        )
        # Set by the websockets client itself from its arguments.
        if name not in ("host", "origin", "sec-websocket-key", "sec-websocket-version")
        and not name.startswith("sec-websocket-")
    ]
    subprotocols: Sequence[str] = scope.get("subprotocols") or ()
    try:
        return await websockets.connect(
            f"ws://{host}{upstream_path(scope)}",
            host=target.host,
            port=target.port,
            origin=websockets.Origin(origin) if origin else None,
            subprotocols=[Subprotocol(p) for p in subprotocols] or None,
            additional_headers=headers,
            user_agent_header=None,
            compression=None,
            proxy=None,
            open_timeout=OPEN_TIMEOUT,
            ping_interval=None,  # Jupyter pings; the library answers
            # Bounded both ways: uvicorn refuses larger messages from the browser, and a
            # notebook sending more gets its socket closed (1009) rather than buffered; at
            # most a few frames wait for a slow browser.
            max_size=max_size,
            max_queue=UPSTREAM_QUEUE_FRAMES,
        )
    except InvalidStatus:
        raise
    except (OSError, TimeoutError, WebSocketException) as exc:
        # Refused, reset, or closed during the handshake (a container going away).
        raise UpstreamUnavailable(str(exc) or type(exc).__name__, retryable=True) from exc


async def refuse_with_status(websocket: WebSocket, status: int, detail: str) -> None:
    """Answer the handshake with an HTTP status where the server allows it, else close."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(PlainTextResponse(detail, status_code=status))
    else:
        await websocket.close(code=1008, reason=detail[:120])


async def bridge(
    websocket: WebSocket, upstream: ClientConnection, jupyter_token: str, opened: OpenSocket
) -> None:
    """Accept the browser and relay frames both ways until either side closes, or until
    the credential the browser opened it with ends."""
    await websocket.accept(subprotocol=upstream.subprotocol)
    to_upstream = asyncio.create_task(_browser_to_upstream(websocket, upstream))
    to_browser = asyncio.create_task(_upstream_to_browser(websocket, upstream, jupyter_token))
    ended = asyncio.create_task(opened.ended.wait())
    try:
        await asyncio.wait({to_upstream, to_browser, ended}, return_when=asyncio.FIRST_COMPLETED)
        if ended.done():
            for task in (to_upstream, to_browser):
                task.cancel()
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError, TimeoutError):
                await asyncio.wait_for(
                    websocket.close(code=1008, reason=opened.reason), OPEN_TIMEOUT
                )
            return
        upstream_closed = (
            to_upstream.done()
            and not to_upstream.cancelled()
            and to_upstream.exception() is None
            and not to_upstream.result()
        )
        if upstream_closed:
            # Jupyter closed while a frame went up: let the reader pass its close code on.
            await asyncio.wait({to_browser}, timeout=OPEN_TIMEOUT)
    finally:
        for task in (to_upstream, to_browser, ended):
            task.cancel()
        for task in (to_upstream, to_browser, ended):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await upstream.close()


async def _browser_to_upstream(websocket: WebSocket, upstream: ClientConnection) -> bool:
    """True when the browser left; False when Jupyter had closed."""
    receive = websocket.receive
    send = upstream.send
    while True:
        message = await receive()
        if message["type"] == "websocket.receive":
            text = message.get("text")
            try:
                await send(text if text is not None else message["bytes"])
            except ConnectionClosed:
                return False
        else:  # websocket.disconnect
            code = sendable_code(message.get("code"), default=1000)
            await upstream.close(code, message.get("reason") or "")
            return True


async def _upstream_to_browser(
    websocket: WebSocket, upstream: ClientConnection, jupyter_token: str
) -> None:
    send = websocket.send
    token_text = jupyter_token
    token_bytes = jupyter_token.encode()
    mask_text = "*" * len(token_text)
    mask_bytes = mask_text.encode()
    message: dict[str, Any]
    try:
        async for data in upstream:
            # The token is masked in place (same length: binary messages carry offsets).
            if isinstance(data, str):
                if token_text in data:
                    data = data.replace(token_text, mask_text)
                message = {"type": "websocket.send", "text": data}
            else:
                if token_bytes in data:
                    data = data.replace(token_bytes, mask_bytes)
                message = {"type": "websocket.send", "bytes": data}
            await send(message)
    except ConnectionClosed:
        pass
    code = sendable_code(upstream.close_code, default=1000 if upstream.close_code == 1005 else 1011)
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        await websocket.close(code=code, reason=upstream.close_reason or "")
