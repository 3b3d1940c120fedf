"""`/notebooks/{id}/...`: JupyterLab through the workspace (HTTP and WebSocket).

Mounted at the root, not under /api: Jupyter runs with this path as its base URL. The
work is in `app.services.proxy`; these routes only hand requests to it.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.websockets import WebSocket

from app.services.proxy import NotebookProxy

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

router = APIRouter()


async def notebook_root(request: Request) -> Response:
    """`/notebooks/{id}` → `/notebooks/{id}/` (Jupyter's base URL ends with a slash)."""
    query = request.url.query
    target = f"/notebooks/{request.path_params['notebook_id']}/" + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=307)


async def notebook_http(request: Request) -> Response:
    proxy: NotebookProxy = request.app.state.proxy
    return await proxy.http(request, request.path_params["notebook_id"])


async def notebook_websocket(websocket: WebSocket) -> None:
    proxy: NotebookProxy = websocket.app.state.proxy
    await proxy.websocket(websocket, websocket.path_params["notebook_id"])


# Plain Starlette routes: no dependency injection or body parsing on the hot path.
router.add_route("/notebooks/{notebook_id}", notebook_root, METHODS, include_in_schema=False)
router.add_route(
    "/notebooks/{notebook_id}/{path:path}", notebook_http, METHODS, include_in_schema=False
)
router.add_websocket_route("/notebooks/{notebook_id}/{path:path}", notebook_websocket)
