"""PostgreSQL text cannot hold NUL characters: refuse them up front, naming the field.

Applied to every /api route, so no model has to remember it and no request reaches the
database with a value it would fail on (a 500) or that SQLite would store but PostgreSQL not.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.requests import HTTPConnection

MESSAGE = "NUL characters (\\u0000) are not allowed"


def _nul_paths(value: Any, path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        found: list[tuple[str | int, ...]] = []
        for key, item in value.items():
            if "\x00" in key:
                found.append((*path, key))
            found += _nul_paths(item, (*path, key))
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nul_paths(item, (*path, i))]
    return []


async def reject_nul_characters(request: HTTPConnection) -> None:
    """Also runs for the WebSocket feed (query only: it has no body)."""
    errors: list[dict[str, Any]] = [
        {"loc": ("query", name), "msg": MESSAGE, "type": "value_error", "input": None}
        for name, value in request.query_params.multi_items()
        if "\x00" in name or "\x00" in value
    ]
    # Forms (uploads) may carry binary files, and FastAPI has consumed their stream already;
    # a JSON route answers a form with its own 422.
    content_type = request.headers.get("content-type", "")
    is_upload = content_type.startswith(("multipart/", "application/x-www-form-urlencoded"))
    if (
        isinstance(request, Request)
        and request.method not in ("GET", "HEAD", "OPTIONS")
        and not is_upload
    ):
        body = await request.body()  # cached on the request: the route reads it again for free
        if b"\\u0000" in body or b"\x00" in body:
            try:
                document = json.loads(body)
            except ValueError:
                document = None  # not JSON: the route's own validation answers
            errors += [
                {"loc": ("body", *path), "msg": MESSAGE, "type": "value_error", "input": None}
                for path in _nul_paths(document, ())
            ]
    if errors:
        raise RequestValidationError(errors)
