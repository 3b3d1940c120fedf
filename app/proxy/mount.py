"""Routing by Host: a notebook's origin is the proxy's alone; the dashboard's is the app's.

A request whose Host is a notebook's (`app.core.notebook_origin`) goes to the proxy, all
of it: the api's routes, the live feed and the dashboard do not exist there, so a page on
a notebook's origin reaches none of them under its own origin. Any other Host is the
dashboard's, where `/notebooks/{id or key}/…` (the dashboard's Open link, and every older
link) hands the browser over to the notebook's origin (`app.proxy.handoff`).

It is an ASGI middleware rather than a FastAPI route: JupyterLab makes many small
requests, and FastAPI's routing, exception and exit-stack layers took about a third of
the CPU of each proxied request (profiled under bench/proxy.py). Errors still reach the
app's outermost error handler.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from app.core import notebook_origin
from app.core.config import Settings
from app.core.metrics import NOTEBOOK_ROUTE, ROUTE_LABEL
from app.proxy.notebook_proxy import NotebookProxy

LEGACY_PREFIX = "/notebooks/"


def _host(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"host":
            return str(value.decode("latin-1"))
    return ""


class NotebookProxyMount:
    """Sends a notebook origin's requests to the proxy on `app.state.proxy`, the rest to
    `app` (but for the dashboard's hand-off paths)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        where = notebook_origin.locate(self.settings, _host(scope), path)
        if where is None:
            await self._dashboard(scope, receive, send, path)
            return
        # Jupyter's paths are no route of ours: matching them against the app's is wasted.
        scope[ROUTE_LABEL] = NOTEBOOK_ROUTE
        proxy: NotebookProxy = scope["app"].state.proxy
        if isinstance(where, notebook_origin.NotANotebook):
            if kind == "websocket":
                await WebSocket(scope, receive, send).close(code=1008, reason="no such notebook")
            else:
                await PlainTextResponse("no such notebook", 404)(scope, receive, send)
        elif kind == "websocket":
            await proxy.websocket(WebSocket(scope, receive, send), where)
        elif path == where.base_path.rstrip("/"):
            # Jupyter's base URL ends with a slash: `/{key}` → `/{key}/` (shared hosts).
            query = scope.get("query_string", b"").decode("latin-1")
            target = f"{path}/" + (f"?{query}" if query else "")
            await RedirectResponse(target, status_code=307)(scope, receive, send)
        else:
            response = await proxy.http(Request(scope, receive, send), where)
            await response(scope, receive, send)

    async def _dashboard(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        if not path.startswith(LEGACY_PREFIX):
            await self.app(scope, receive, send)
            return
        # The path as sent (still percent-encoded), to hand on to Jupyter as it was.
        raw = (scope.get("raw_path") or path.encode()).decode("latin-1")
        ref, _, rest = raw.removeprefix(LEGACY_PREFIX).partition("/")
        if not ref:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # notebooks' sockets live on their own origins
            await WebSocket(scope, receive, send).close(code=1008, reason="not here")
            return
        proxy: NotebookProxy = scope["app"].state.proxy
        response = await proxy.handoff.from_dashboard(Request(scope, receive, send), ref, rest)
        await response(scope, receive, send)
