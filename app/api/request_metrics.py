"""Times every HTTP request by its route template (`/api/notebooks/{notebook_id}`, not the
id itself, so the label set stays small): pure ASGI, outermost, so the notebook proxy's
requests count too (as `notebook origin`, and the dashboard's hand-off links as
`/notebooks/{id}`)."""

from __future__ import annotations

import time

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.router import api_router
from app.core.metrics import REQUEST_SECONDS, ROUTE_LABEL


class RequestMetrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            REQUEST_SECONDS.labels(scope["method"], _route(scope), str(status)).observe(
                time.perf_counter() - started
            )


def _route(scope: Scope) -> str:
    label = scope.get(ROUTE_LABEL)
    if isinstance(label, str):
        return label
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and path:
        # The api's routes match inside its router, without the router's prefix.
        prefix = api_router.prefix
        inside = str(scope.get("path", "")).startswith(prefix + "/")
        return prefix + path if inside and not path.startswith(prefix + "/") else path
    if str(scope.get("path", "")).startswith("/notebooks/"):
        return "/notebooks/{id}"
    app = scope.get("app")
    for candidate in getattr(getattr(app, "router", None), "routes", ()):
        if candidate.matches(scope)[0] == Match.FULL:
            return str(getattr(candidate, "path", "") or "/")
    return "unmatched"
