"""Names under `localhost` reach 127.0.0.1, as browsers make them (glibc does not).

Notebooks are served at `{key}.nb.localhost`; Chromium resolves that itself. Python
clients get the same here: httpx through `LoopbackTransport` (URLs, Host headers and the
cookie jar keep the real name, so cookies stay per host as in a browser), websockets
through `ws_target`.
"""

from __future__ import annotations

from typing import Any

import httpx


def _loopback(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")


class LoopbackTransport(httpx.AsyncHTTPTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if _loopback(request.url.host):
            request = httpx.Request(
                request.method,
                request.url.copy_with(host="127.0.0.1"),
                headers=request.headers,  # the Host header still names the real host
                stream=request.stream,
                extensions=request.extensions,
            )
        return await super().handle_async_request(request)


def client(**kwargs: Any) -> httpx.AsyncClient:
    """An httpx client that reaches `*.localhost` names on 127.0.0.1."""
    return httpx.AsyncClient(transport=LoopbackTransport(), **kwargs)


def ws_target(url: str) -> dict[str, Any]:
    """`websockets.connect` arguments that open `url` on 127.0.0.1 when it names a
    `*.localhost` host (the URL, and so the Host header, stay as they are)."""
    parsed = httpx.URL(url)
    if not _loopback(parsed.host):
        return {}
    return {"host": "127.0.0.1", "port": parsed.port or (443 if parsed.scheme == "wss" else 80)}
