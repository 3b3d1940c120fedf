"""HTTP through the notebook proxy: the request streamed up, the response streamed back.

Bodies are never held whole, except responses small enough to scrub at once (the
Jupyter pages that embed the token in their page config are a few kB). Larger
responses are scrubbed chunk by chunk, keeping their length.
"""

from __future__ import annotations

import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.services.proxy_access import Target
from app.services.proxy_rewrite import (
    Scrubber,
    downstream_headers,
    strip_token_param,
    upstream_request_headers,
)

# Responses up to this size are read whole, scrubbed and sent with their new length.
SMALL_BODY = 256 * 1024
_NO_BODY_STATUSES = frozenset({204, 304})


class UpstreamUnavailable(Exception):
    """Jupyter did not accept the connection (stopped, restarting, or still starting)."""


def _has_body(headers: list[tuple[bytes, bytes]]) -> bool:
    for key, value in headers:
        if key == b"transfer-encoding" or (key == b"content-length" and value.strip() != b"0"):
            return True
    return False


def upstream_path(scope: Scope) -> str:
    """The path and query exactly as the browser sent them, minus any `token` parameter."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query = strip_token_param(scope["query_string"].decode("latin-1"))
    path = raw_path.decode("latin-1")
    return f"{path}?{query}" if query else path


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def forward(client: httpx.AsyncClient, request: Request, target: Target) -> Response:
    """Send `request` to the notebook's Jupyter; the answer streams back when returned."""
    scope = request.scope
    host = request.headers.get("host") or target.netloc
    headers = upstream_request_headers(
        scope["headers"],
        host=host,
        client_ip=client_ip(scope),
        scheme=scope.get("scheme", "http"),
        jupyter_token=target.jupyter_token,
    )
    upstream_request = client.build_request(
        request.method,
        f"http://{target.netloc}{upstream_path(scope)}",
        headers=headers,
        content=request.stream() if _has_body(scope["headers"]) else None,
    )
    try:
        upstream = await client.send(upstream_request, stream=True)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise UpstreamUnavailable(str(exc) or type(exc).__name__) from exc
    return UpstreamResponse(upstream, target, host=host, head=request.method == "HEAD")


class UpstreamResponse(Response):
    """Streams an httpx response to the ASGI client, rewriting headers and scrubbing the token."""

    def __init__(self, upstream: httpx.Response, target: Target, *, host: str, head: bool) -> None:
        self.upstream = upstream
        self.target = target
        self.host = host
        self.head = head
        self.status_code = upstream.status_code
        self.background = None

    def _downstream_headers(self, *, drop_length: bool) -> list[tuple[bytes, bytes]]:
        return downstream_headers(
            self.upstream.headers.raw,
            prefix=self.target.prefix,
            upstream_netloc=self.target.netloc,
            host=self.host,
            jupyter_token=self.target.jupyter_token,
            drop_length=drop_length,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        upstream = self.upstream
        try:
            status = upstream.status_code
            if self.head or status in _NO_BODY_STATUSES or status < 200:
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": self._downstream_headers(drop_length=False),
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
            length_header = upstream.headers.get("content-length")
            length = int(length_header) if length_header and length_header.isdigit() else None
            if length is not None and length <= SMALL_BODY:
                await self._send_small(send)
            else:
                await self._send_stream(send, known_length=length is not None)
        finally:
            await upstream.aclose()

    async def _send_small(self, send: Send) -> None:
        chunks = [chunk async for chunk in self.upstream.aiter_raw()]
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        body = Scrubber(self.target.jupyter_token, same_length=False).scrub(body)
        headers = self._downstream_headers(drop_length=True)
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": self.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _send_stream(self, send: Send, *, known_length: bool) -> None:
        # With a known length the token is masked in place (same length); without one
        # (chunked) it is removed.
        scrubber = Scrubber(self.target.jupyter_token, same_length=known_length)
        await send(
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": self._downstream_headers(drop_length=not known_length),
            }
        )
        async for chunk in self.upstream.aiter_raw():
            data = scrubber.feed(chunk)
            if data:
                await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": scrubber.flush()})
