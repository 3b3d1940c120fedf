"""Request bodies are bounded, per kind of route, while they stream in.

The outermost layer of the app, ahead of authentication, routing and anything that reads a
body whole (FastAPI's JSON parsing, the NUL guard): a declared `Content-Length` over the
limit is refused before the app runs, and a chunked body is counted as it arrives and cut
off at the limit. The answer is a 413 naming the limit, with `Connection: close`. Before it
goes out, a bounded part of the refused body is read and dropped: a client still sending
would otherwise have its connection reset (its bytes unread) and never see the answer. A
client that asked `Expect: 100-continue` has sent nothing and is answered at once.

Starlette's own `RequestBodyLimitMiddleware` counts the same way, but answers without the
limit, and only once the app reads or answers; here a declared length is refused at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import notebook_origin
from app.core.config import Settings

# The blog's routes get the upload limit instead of the JSON one: they take images and
# notebooks as files, and posts whose Markdown (up to a million characters) outgrows the
# JSON limit once encoded.
UPLOAD_PREFIXES: tuple[str, ...] = ("/api/posts",)
NOTEBOOK_PREFIX = "/notebooks/"
# How much of a refused body is read (and dropped) before the 413, and for how long at most.
DRAIN_BYTES = 8 << 20
DRAIN_SECONDS = 1.0


def describe_size(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True, slots=True)
class BodyLimits:
    json: int
    upload: int
    notebook: int
    settings: Settings  # tells a notebook's own host from the dashboard's

    @classmethod
    def of(cls, settings: Settings) -> BodyLimits:
        return cls(
            json=settings.max_json_body_bytes,
            upload=settings.max_upload_body_bytes,
            notebook=settings.max_notebook_body_bytes,
            settings=settings,
        )

    def for_request(self, host: str, path: str) -> tuple[int, str]:
        """The limit for a request, and the name of its kind (for the message)."""
        on_notebook_host = notebook_origin.locate(self.settings, host, path) is not None
        if on_notebook_host or path.startswith(NOTEBOOK_PREFIX):
            return self.notebook, "requests to a notebook"
        if path.startswith(UPLOAD_PREFIXES):
            return self.upload, "posts and uploads"
        return self.json, "API requests"


class BodyTooLarge(HTTPException):
    """Raised from `receive` at the limit. An HTTPException, so that FastAPI passes it on
    unchanged when it reads the body (it turns other errors into a 400)."""

    def __init__(self, limit: int, kind: str) -> None:
        super().__init__(
            status_code=413,
            detail=f"request body too large: at most {describe_size(limit)} for {kind}",
            headers={"Connection": "close"},
        )


class BodyLimit:
    def __init__(self, app: ASGIApp, *, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        limit, kind = self.limits.for_request(host, scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            # Reading would make the server send "100 Continue", asking for the body.
            if "100-continue" not in Headers(scope=scope).get("expect", "").lower():
                await _drain(receive)
            await _answer(send, BodyTooLarge(limit, kind))
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, kind)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge as exc:
            if started:
                return  # part of an answer went out already: the connection just ends
            await _drain(receive)
            await _answer(send, exc)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _drain(receive: Receive) -> None:
    """Read the rest of the body, up to DRAIN_BYTES and DRAIN_SECONDS, dropping it."""
    drained = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(DRAIN_SECONDS):
            while drained <= DRAIN_BYTES:
                message = await receive()
                if message["type"] != "http.request":
                    return
                drained += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return


async def _answer(send: Send, exc: BodyTooLarge) -> None:
    body = json.dumps({"detail": exc.detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
