"""The authenticated reverse proxy to notebooks: `/notebooks/{id}/...` → the container's Jupyter.

One `NotebookProxy` per api process (on `app.state.proxy`), holding the one pool of
upstream HTTP connections used for all proxying. For each request: who is calling and
do they own a running notebook (`proxy_access`), cross-site checks for requests that a
session cookie authenticates (`proxy_csrf`), then the request is forwarded (`proxy_http`,
`proxy_ws`) with the notebook's Jupyter token, which the browser never sees.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import InvalidStatus

from app.core.config import Settings
from app.live.limits import ConnectionLimits, TooManyConnections
from app.live.revocation import Revocations
from app.models.types import MAX_ID
from app.proxy.access import (
    AccessResolver,
    Caller,
    NotebookNotFound,
    NotebookNotRunning,
    Refusal,
    Target,
)
from app.proxy.csrf import check_unsafe_request, check_websocket_origin
from app.proxy.http import UpstreamUnavailable, forward
from app.proxy.pages import refusal_response
from app.proxy.upstream import UpstreamPool
from app.proxy.ws import bridge, open_upstream, refuse_with_status

# How long a caller's identity and a notebook's route are remembered (seconds).
ACCESS_TTL = 2.0


def _notebook_id(raw: str) -> int:
    """The id in the path: ASCII digits only (`str.isdigit` also takes "²", which `int`
    refuses) and within the database's id range, so nothing odd reaches a query."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        raise NotebookNotFound("notebook not found")
    notebook_id = int(raw)
    if not 1 <= notebook_id <= MAX_ID:
        raise NotebookNotFound("notebook not found")
    return notebook_id


class NotebookProxy:
    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        revocations: Revocations,
        limits: ConnectionLimits,
        *,
        ttl: float = ACCESS_TTL,
    ) -> None:
        self.pool = UpstreamPool()
        self.access = AccessResolver(sessionmaker, settings.container_host, ttl)
        self.public_url = settings.public_url
        self.websocket_max_size = settings.websocket_max_message_bytes
        self.revocations = revocations
        self.limits = limits
        self.max_websockets = settings.max_websockets_per_user
        revocations.add_listener(self.access.forget_user)

    async def aclose(self) -> None:
        await self.pool.aclose()

    async def http(self, request: Request, raw_id: str) -> Response:
        try:
            notebook_id = _notebook_id(raw_id)
            caller, target = await self.access.resolve(request, notebook_id)
            if caller.by_cookie:
                check_unsafe_request(request, request.method, self.public_url)
            try:
                return await forward(self.pool, request, target)
            except UpstreamUnavailable as exc:
                if not exc.retryable:
                    self.access.forget(caller, notebook_id)
                    raise _not_answering(target) from None
                target = await self._fresh_target(request, caller, target)
                try:
                    return await forward(self.pool, request, target)
                except UpstreamUnavailable:
                    raise _not_answering(target) from None
        except Refusal as refusal:
            return refusal_response(request, refusal)

    async def websocket(self, websocket: WebSocket, raw_id: str) -> None:
        try:
            notebook_id = _notebook_id(raw_id)
            check_websocket_origin(websocket, self.public_url)
            caller, target = await self.access.resolve(websocket, notebook_id)
        except Refusal as refusal:
            await refuse_with_status(websocket, refusal.status_code, refusal.detail)
            return
        try:
            lease = await self.limits.acquire("WebSockets", caller.user_id, self.max_websockets)
        except TooManyConnections as exc:
            await refuse_with_status(websocket, 429, str(exc))
            return
        # Registered before the upstream is opened: a sign-out from now on ends the bridge.
        opened = self.revocations.register(caller.credential)
        try:
            try:
                upstream = await self._open_upstream(websocket, caller, target)
            except Refusal as refusal:
                await refuse_with_status(websocket, refusal.status_code, refusal.detail)
                return
            except InvalidStatus as exc:
                status = exc.response.status_code
                detail = f"Jupyter refused the WebSocket ({status})"
                await refuse_with_status(websocket, status, detail)
                return
            await bridge(websocket, upstream, target.jupyter_token, opened)
        finally:
            self.revocations.unregister(opened)
            await self.limits.release(lease)

    async def _open_upstream(
        self, websocket: WebSocket, caller: Caller, target: Target
    ) -> ClientConnection:
        origin = None
        if websocket.headers.get("origin") is not None:
            # Already checked to be ours; Jupyter wants it to name the Host it is given.
            scheme = "https" if websocket.scope.get("scheme") == "wss" else "http"
            origin = f"{scheme}://{websocket.headers.get('host') or target.netloc}"
        try:
            return await open_upstream(
                websocket, target, origin=origin, max_size=self.websocket_max_size
            )
        except UpstreamUnavailable:
            target = await self._fresh_target(websocket, caller, target)
            try:
                return await open_upstream(
                    websocket, target, origin=origin, max_size=self.websocket_max_size
                )
            except UpstreamUnavailable:
                raise _not_answering(target) from None

    async def _fresh_target(
        self, conn: Request | WebSocket, caller: Caller, target: Target
    ) -> Target:
        """The route again from the database: the remembered one may be stale (a restart).

        Raises when the route is unchanged (nothing to retry) or no longer there.
        """
        self.access.forget(caller, target.notebook_id)
        _, fresh = await self.access.resolve(conn, target.notebook_id)
        if fresh == target:
            self.access.forget(caller, target.notebook_id)
            raise _not_answering(target)
        return fresh


def _not_answering(target: Target) -> NotebookNotRunning:
    return NotebookNotRunning(
        f"notebook {target.name!r} does not answer yet; try again in a moment",
        name=target.name,
        status="starting",
    )
