"""How every public blog response is sent: security headers, and validators (ETag and
Last-Modified) so a reader's cache revalidates with a 304 instead of a new body.

The Content-Security-Policy allows no script at all, styles only from our own stylesheet,
images from us (and https, where posts may link them), and nothing may frame the page: the
sanitizer removes what a post should not carry, and this stops what might slip through.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
PUBLIC = "public, no-cache"  # cache, but ask each time (a 304 is cheap)
PRIVATE = "private, no-store"  # a draft seen by its author
HTML = "text/html; charset=utf-8"


def etag_of(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def _not_modified_since(request: Request, last_modified: datetime) -> bool:
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= moment


def send(
    request: Request,
    content: str | bytes,
    *,
    media_type: str = HTML,
    last_modified: datetime | None = None,
    private: bool = False,
    status_code: int = 200,
    cache_control: str | None = None,
) -> Response:
    """The response, or a bodiless 304 when the reader's copy is current."""
    body = content.encode() if isinstance(content, str) else content
    headers = dict(SECURITY_HEADERS)
    headers["Cache-Control"] = cache_control or (PRIVATE if private else PUBLIC)
    headers["Vary"] = "Cookie"
    if status_code != 200 or private:
        return Response(body, status_code=status_code, media_type=media_type, headers=headers)
    etag = etag_of(body)
    headers["ETag"] = etag
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    none_match = request.headers.get("if-none-match")
    fresh = (
        _matches(none_match, etag)
        if none_match is not None
        else last_modified is not None and _not_modified_since(request, last_modified)
    )
    if fresh:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
