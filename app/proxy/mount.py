"""`/notebooks/{id}/...`: JupyterLab through the workspace (HTTP and WebSocket).

Mounted at the root, not under /api: Jupyter runs with this path as its base URL. The
work is in `app.proxy.notebook_proxy`; this only hands requests to it.

It is an ASGI middleware rather than a FastAPI route: JupyterLab makes many small
requests, and FastAPI's routing, exception and exit-stack layers took about a third of
the CPU of each proxied request (profiled under bench/proxy.py). Paths outside
`/notebooks/{id}` go on to the app untouched; errors still reach the app's outermost
error handler.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from app.proxy.notebook_proxy import NotebookProxy

PREFIX = "/notebooks/"


class NotebookProxyMount:
    """Sends `/notebooks/{id}/...` to the proxy on `app.state.proxy`; the rest to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        kind = scope["type"]
        if kind not in ("http", "websocket") or not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        notebook_id, slash, _ = path[len(PREFIX) :].partition("/")
        if not notebook_id:  # `/notebooks/` itself is not a notebook
            await self.app(scope, receive, send)
            return
        proxy: NotebookProxy = scope["app"].state.proxy
        if kind == "websocket":
            await proxy.websocket(WebSocket(scope, receive, send), notebook_id)
        elif not slash:
            # Jupyter's base URL ends with a slash: `/notebooks/{id}` → `/notebooks/{id}/`.
            query = scope.get("query_string", b"").decode("latin-1")
            target = f"{path}/" + (f"?{query}" if query else "")
            await RedirectResponse(target, status_code=307)(scope, receive, send)
        else:
            response = await proxy.http(Request(scope, receive, send), notebook_id)
            await response(scope, receive, send)
