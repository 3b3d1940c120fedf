"""From httpx's answers and failures to `workspace.errors` (both flavours)."""

from __future__ import annotations

import httpx

from workspace.errors import error_for


def describe(exc: httpx.TransportError) -> str:
    """A transport error in a few words (httpx's messages can be empty)."""
    text = str(exc).strip()
    kind = type(exc).__name__
    return f"{kind}: {text}" if text else kind


def raise_for(response: httpx.Response) -> None:
    """Raise the `ApiError` of an error answer (its body must have been read)."""
    try:
        body = response.json()
    except ValueError:
        body = {"detail": response.text.strip() or response.reason_phrase}
    raise error_for(response.status_code, body, response.headers.get("retry-after"))
