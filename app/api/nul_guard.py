"""PostgreSQL text cannot hold NUL characters: refuse them up front, naming the field.

Applied to every /api route, so no model has to remember it and no request reaches the
database with a value it would fail on (a 500) or that SQLite would store but PostgreSQL not.

JSON bodies are scanned token by token with an explicit stack, never recursively, so any
nesting is looked through; nesting deeper than MAX_DEPTH is refused here too, before the
JSON parser (which recurses) or validation sees it. The body was bounded as it came in
(app/api/body_limit.py), and it is read whole only when it is JSON: uploads are left to
their routes. Query parameters are checked by a dependency of the /api router.
"""

from __future__ import annotations

import json
import re
from email.message import Message as MimeHeader
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.credentials import SAFE_METHODS

API_PREFIX = "/api/"
MESSAGE = "NUL characters (\\u0000) are not allowed"
MAX_DEPTH = 64
# A string (escapes included), one structural character, or a bare literal.
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.DOTALL)

Path = tuple[str | int, ...]


def _has_nul(token: bytes) -> bool:
    if b"\\u0000" not in token and b"\x00" not in token:
        return False
    try:
        return "\x00" in json.loads(token)
    except ValueError:
        return b"\x00" in token  # a broken string: the route's validation says more


def scan(body: bytes) -> tuple[list[Path], bool]:
    """The paths of strings (keys too) holding NUL, and whether the nesting is too deep.

    Each open container is one frame on the stack: an object's current key (and whether a
    key comes next), or an array's current index.
    """
    found: list[Path] = []
    stack: list[list[Any]] = []  # ["object", key, key_next] | ["array", index]

    def path() -> Path:
        return tuple(frame[1] for frame in stack if frame[1] is not None)

    for match in _TOKEN.finditer(body):
        token = match.group()
        first = token[:1]
        top = stack[-1] if stack else None
        if first in (b"{", b"["):
            if len(stack) >= MAX_DEPTH:
                return found, True
            stack.append(["object", None, True] if first == b"{" else ["array", 0])
        elif first in (b"}", b"]"):
            if stack:
                stack.pop()
        elif first == b":":
            if top is not None and top[0] == "object":
                top[2] = False
        elif first == b",":
            if top is not None:
                if top[0] == "object":
                    top[2] = True
                else:
                    top[1] += 1
        elif first == b'"':
            if top is not None and top[0] == "object" and top[2]:
                try:
                    top[1] = json.loads(token)
                except ValueError:
                    top[1] = token.decode("utf-8", "replace")
                if _has_nul(token):
                    found.append(path())
            elif _has_nul(token):
                found.append(path())
    return found, False


def _is_json(content_type: str | None) -> bool:
    """FastAPI's own rule for parsing a body as JSON: no content type, or a JSON one."""
    if not content_type:
        return True
    header = MimeHeader()
    header["content-type"] = content_type
    subtype = header.get_content_subtype()
    return header.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def body_errors(body: bytes) -> list[dict[str, Any]]:
    """The 422 details for a JSON body's NULs and excess nesting (none for most bodies)."""
    suspicious = b"\\u0000" in body or b"\x00" in body
    if not suspicious and body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return []  # can hold neither: no scan
    paths, too_deep = scan(body)
    errors = [
        {"loc": ["body", *p], "msg": MESSAGE, "type": "value_error", "input": None} for p in paths
    ]
    if too_deep:
        message = f"JSON nested deeper than {MAX_DEPTH} levels"
        errors.append({"loc": ["body"], "msg": message, "type": "value_error", "input": None})
    return errors


class NulGuard:
    """Scans /api JSON bodies before FastAPI parses them: its parser recurses, and a body
    nested thousands deep would otherwise end as an unhelpful 400 there."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or not scope["path"].startswith(API_PREFIX)
            or not _is_json(Headers(scope=scope).get("content-type"))
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:  # bounded: the body limit wraps this
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay(message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        errors = body_errors(body)
        if errors:
            await JSONResponse({"detail": errors}, status_code=422)(scope, receive, send)
            return
        replayed = {"type": "http.request", "body": body, "more_body": False}
        await self.app(scope, _replay(replayed, receive), send)


def _replay(first: Message, receive: Receive) -> Receive:
    pending = [first]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


async def reject_nul_characters(request: HTTPConnection) -> None:
    """Query parameters, for every /api route (the live feed's WebSocket too); bodies are
    the `NulGuard`'s."""
    errors: list[dict[str, Any]] = [
        {"loc": ("query", name), "msg": MESSAGE, "type": "value_error", "input": None}
        for name, value in request.query_params.multi_items()
        if "\x00" in name or "\x00" in value
    ]
    if errors:
        raise RequestValidationError(errors)
