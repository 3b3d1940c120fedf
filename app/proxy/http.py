"""HTTP through the notebook proxy: the request streamed up, the response streamed back.

Bodies are never held whole, except responses small enough to scrub at once (the
Jupyter pages that embed the token in their page config are a few kB). Larger
responses are scrubbed chunk by chunk, keeping their length.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send

from app.core.credentials import SAFE_METHODS
from app.proxy.access import Target
from app.proxy.rewrite import (
    Scrubber,
    downstream_headers,
    strip_token_param,
    upstream_request_headers,
)
from app.proxy.upstream import (
    ConnectFailed,
    UpstreamError,
    UpstreamPool,
)
from app.proxy.upstream import (
    UpstreamResponse as Upstream,
)

# Responses up to this size are read whole, scrubbed and sent with their new length.
SMALL_BODY = 256 * 1024
_NO_BODY_STATUSES = frozenset({204, 304})


class UpstreamUnavailable(Exception):
    """Jupyter did not accept the connection (stopped, restarting, or still starting)."""

    def __init__(self, detail: str, *, retryable: bool) -> None:
        super().__init__(detail)
        self.retryable = retryable  # nothing of the request body was read yet


async def _no_receive() -> Message:
    raise RuntimeError("a proxy refusal reads no body")


async def _request_body(request: Request) -> AsyncIterator[bytes]:
    async for chunk in request.stream():
        if chunk:
            yield chunk


def _body_framing(headers: list[tuple[bytes, bytes]]) -> str | None:
    """'length' or 'chunked' when the request has a body, else None."""
    framing = None
    for key, value in headers:
        if key == b"content-length":
            if value.strip() != b"0":
                return "length"
        elif key == b"transfer-encoding":
            framing = "chunked"
    return framing


def upstream_path(scope: Scope) -> str:
    """The path and query exactly as the browser sent them, minus any `token` parameter."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query = strip_token_param(scope["query_string"].decode("latin-1"))
    path = raw_path.decode("latin-1")
    return f"{path}?{query}" if query else path


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def forward(pool: UpstreamPool, request: Request, target: Target) -> Response:
    """Send `request` to the notebook's Jupyter; the answer streams back when returned."""
    scope = request.scope
    method = request.method
    host = request.headers.get("host") or target.netloc
    headers = upstream_request_headers(
        scope["headers"],
        host=host,
        client_ip=client_ip(scope),
        scheme=scope.get("scheme", "http"),
        jupyter_token=target.jupyter_token,
    )
    framing = _body_framing(scope["headers"])
    if framing == "chunked":  # the browser's Transfer-Encoding is hop-by-hop: ours again
        headers.append(("transfer-encoding", "chunked"))
    lines = [f"{method} {upstream_path(scope)} HTTP/1.1", *(f"{k}: {v}" for k, v in headers)]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    try:
        upstream = await pool.request(
            target.host,
            target.port,
            head,
            _request_body(request) if framing else None,
            chunked=framing == "chunked",
            method_head=method == "HEAD",
            idempotent=method in SAFE_METHODS,  # no effect, so it may be sent again
        )
    except ConnectFailed as exc:
        raise UpstreamUnavailable(str(exc), retryable=framing is None) from exc
    except ClientDisconnect:  # the browser left during its upload: nobody to answer
        return Response(status_code=400)
    except UpstreamError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=502)
    return UpstreamResponse(upstream, target, host=host, head=method == "HEAD")


class UpstreamResponse(Response):
    """Streams Jupyter's response to the browser, rewriting headers and scrubbing the token."""

    def __init__(self, upstream: Upstream, target: Target, *, host: str, head: bool) -> None:
        self.upstream = upstream
        self.target = target
        self.host = host
        self.head = head
        self.status_code = upstream.status
        self.background = None

    def _downstream_headers(self, *, drop_length: bool) -> list[tuple[bytes, bytes]]:
        return downstream_headers(
            self.upstream.headers,
            prefix=self.target.prefix,
            upstream_netloc=self.target.netloc,
            host=self.host,
            jupyter_token=self.target.jupyter_token,
            drop_length=drop_length,
        )

    def _content_length(self) -> int | None:
        for key, value in self.upstream.headers:
            if key.lower() == b"content-length" and value.strip().isdigit():
                return int(value)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            status = self.status_code
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
            length = self._content_length()
            if length is not None and length <= SMALL_BODY:
                await self._send_small(send)
            else:
                await self._send_stream(send, known_length=length is not None)
        finally:
            await self.upstream.aclose()

    async def _send_small(self, send: Send) -> None:
        try:
            chunks = [chunk async for chunk in self.upstream.body()]
        except UpstreamError as exc:  # nothing sent yet: the browser gets a clean 502
            await JSONResponse({"detail": str(exc)}, status_code=502)(
                {"type": "http"}, _no_receive, send
            )
            return
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
        async for chunk in self.upstream.body():
            data = scrubber.feed(chunk)
            if data:
                await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": scrubber.flush()})
