"""The authenticated reverse proxy to notebooks: a notebook's origin → its container's Jupyter.

One `NotebookProxy` per api process (on `app.state.proxy`), holding the one pool of
upstream HTTP connections used for all proxying. For each request: the hand-off's own
path (`handoff`), else who is calling and do they own this running notebook (`access`),
cross-site checks for requests that the notebook's pass authenticates (`csrf`), then the
request is forwarded (`http`, `ws`) with the notebook's Jupyter token, which the browser
never sees.
"""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import InvalidStatus

from app.core import notebook_origin
from app.core.config import Settings
from app.core.notebook_origin import NotebookAddress
from app.live.limits import ConnectionLimits, TooManyConnections
from app.live.revocation import Revocations
from app.proxy.access import (
    AccessResolver,
    Caller,
    NotebookNotRunning,
    Refusal,
    Target,
)
from app.proxy.csrf import check_same_site_page, check_unsafe_request, check_websocket_origin
from app.proxy.handoff import ENTER, HandOff
from app.proxy.http import UpstreamUnavailable, forward
from app.proxy.pages import asked_path, refusal_response
from app.proxy.upstream import UpstreamPool
from app.proxy.ws import bridge, open_upstream, refuse_with_status

# How long a caller's identity and a notebook's route are remembered (seconds).
ACCESS_TTL = 2.0


class NotebookProxy:
    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        revocations: Revocations,
        limits: ConnectionLimits,
        redis: Redis,
        *,
        ttl: float = ACCESS_TTL,
    ) -> None:
        self.settings = settings
        self.pool = UpstreamPool()
        secret_key = settings.secret_key.get_secret_value()
        self.access = AccessResolver(sessionmaker, settings.container_host, secret_key, ttl)
        self.handoff = HandOff(settings, sessionmaker, redis)
        self.public_url = settings.public_url
        self.websocket_max_size = settings.websocket_max_message_bytes
        self.revocations = revocations
        self.limits = limits
        self.max_websockets = settings.max_websockets_per_user
        revocations.add_listener(self.access.forget_user)

    async def aclose(self) -> None:
        await self.pool.aclose()

    def own_origin(self, where: NotebookAddress) -> str:
        return notebook_origin.origin(self.settings, where.key)

    async def http(self, request: Request, where: NotebookAddress) -> Response:
        if request.url.path == where.base_path + ENTER:
            return await self.handoff.enter(request, where)
        try:
            caller, target = await self.access.resolve(request, where)
            if caller.by_cookie:
                check_same_site_page(request)
                check_unsafe_request(request, request.method, self.own_origin(where))
            try:
                return await forward(self.pool, request, target)
            except UpstreamUnavailable as exc:
                if not exc.retryable:
                    self.access.forget(caller, where.key)
                    raise _not_answering(target) from None
                target = await self._fresh_target(request, caller, target)
                try:
                    return await forward(self.pool, request, target)
                except UpstreamUnavailable:
                    raise _not_answering(target) from None
        except Refusal as refusal:
            rest = asked_path(request).removeprefix(where.base_path)
            return refusal_response(
                request,
                refusal,
                dashboard=self.settings.public_url,
                hand_off_again=self.handoff.dashboard_url(where.key, rest),
            )

    async def websocket(self, websocket: WebSocket, where: NotebookAddress) -> None:
        try:
            check_websocket_origin(websocket, self.own_origin(where))
            caller, target = await self.access.resolve(websocket, where)
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
        self.access.forget(caller, target.key)
        where = NotebookAddress(target.key, target.prefix)
        _, fresh = await self.access.resolve(conn, where)
        if fresh == target:
            self.access.forget(caller, target.key)
            raise _not_answering(target)
        return fresh


def _not_answering(target: Target) -> NotebookNotRunning:
    return NotebookNotRunning(
        f"notebook {target.name!r} does not answer yet; try again in a moment",
        name=target.name,
        status="starting",
    )
