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
        # Not the api's JSON (a notebook server's page, a proxy's): a short plain text is
        # kept, anything else is summed up by its status.
        text = response.text.strip()
        plain = response.headers.get("content-type", "").startswith("text/plain")
        short = plain and 0 < len(text) <= 300 and "\n" not in text
        body = {"detail": text if short else f"{response.status_code} {response.reason_phrase}"}
    raise error_for(response.status_code, body, response.headers.get("retry-after"))
