"""Cross-site request forgery checks for the notebook proxy.

The proxy sends Jupyter its token, so Jupyter Server treats every request as
token-authenticated and skips its own XSRF check (`JupyterHandler.check_xsrf_cookie`
returns early when `token_authenticated`). The proxy therefore applies the same check
itself to requests authenticated by the session cookie: an unsafe method must carry the
`_xsrf` cookie's token in `X-XSRFToken` (what JupyterLab sends on every request), in
`X-CSRFToken`, or in an `_xsrf` query argument, compared as tornado compares them (its
cookie format masks the token with a random prefix). A foreign `Origin` or a cross-site
`Sec-Fetch-Site` is refused as well. Requests with an API token (Bearer) are exempt: a
cross-site page cannot attach that header.

WebSockets carry no XSRF token; a browser always sends `Origin`, which must be ours.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl

from starlette.requests import HTTPConnection

from app.core.credentials import SAFE_METHODS, foreign_origin
from app.proxy.access import CrossSiteRefused

XSRF_COOKIE = "_xsrf"


def check_websocket_origin(conn: HTTPConnection, public_url: str) -> None:
    origin = foreign_origin(conn, public_url)
    if origin is not None:
        raise CrossSiteRefused(f"cross-origin WebSocket from {origin!r} refused")


def check_unsafe_request(conn: HTTPConnection, method: str, public_url: str) -> None:
    """For a cookie-authenticated request: refuse anything a foreign page could have sent."""
    if method in SAFE_METHODS:
        return
    origin = foreign_origin(conn, public_url)
    if origin is not None:
        raise CrossSiteRefused(f"cross-origin request from {origin!r} refused")
    if conn.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise CrossSiteRefused("cross-site request refused")
    sent = (
        conn.headers.get("x-xsrftoken")
        or conn.headers.get("x-csrftoken")
        or _query_argument(conn.scope.get("query_string", b""), XSRF_COOKIE)
    )
    if not sent:
        raise CrossSiteRefused("'_xsrf' argument missing (send the X-XSRFToken header)")
    token = decode_xsrf(sent)
    expected = [decode_xsrf(value) for value in _cookie_values(conn, XSRF_COOKIE)]
    if token is None or not any(e is not None and hmac.compare_digest(token, e) for e in expected):
        raise CrossSiteRefused("XSRF cookie does not match the X-XSRFToken header")


def decode_xsrf(value: str) -> bytes | None:
    """The raw token of a tornado XSRF value (version 2 `2|mask|masked|time`, or version 1)."""
    value = value.strip()
    if value.startswith("2|"):
        try:
            _, mask_hex, masked_hex, _timestamp = value.split("|")
            mask, masked = bytes.fromhex(mask_hex), bytes.fromhex(masked_hex)
        except ValueError:
            return None
        if not mask:
            return None
        return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked))
    head, sep, _ = value.partition("|")
    if sep and head.isdigit():
        return None  # another signed-value version: tornado treats it as absent
    try:
        return bytes.fromhex(value)
    except ValueError:
        return value.encode()


def _query_argument(query_string: bytes, name: str) -> str | None:
    for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if key == name:
            return value
    return None


def _cookie_values(conn: HTTPConnection, name: str) -> list[str]:
    """Every value of cookie `name`: a browser may hold several at different paths."""
    values: list[str] = []
    for raw_key, raw_value in conn.scope["headers"]:
        if raw_key != b"cookie":
            continue
        for part in raw_value.decode("latin-1").split(";"):
            key, sep, value = part.partition("=")
            if sep and key.strip() == name:
                values.append(value.strip().strip('"'))
    return values
