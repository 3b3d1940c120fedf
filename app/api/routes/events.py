"""`/api/events`: the live feed (WebSocket). A snapshot on connect, then every change."""

from __future__ import annotations

import asyncio
import contextlib
import json

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status

from app.core.config import Settings
from app.core.credentials import foreign_origin, presented
from app.core.metrics import WEBSOCKET_CLIENTS
from app.live.hub import EventHub, Subscriber
from app.live.limits import ConnectionLimits, TooManyConnections
from app.live.protocol import frame_writer
from app.models.notebook import NotebookPublic
from app.models.user import User
from app.services.accounts import sessions
from app.services.notebooks import notebooks

router = APIRouter(tags=["events"])
CLOSE_TIMEOUT_SECONDS = 5.0


async def _authenticate(websocket: WebSocket) -> sessions.SignedIn | None:
    credential = presented(websocket)
    if credential is None:
        return None
    async with websocket.app.state.sessionmaker() as db:
        return await sessions.signed_in(db, credential)


async def _snapshot(websocket: WebSocket, user: User) -> str:
    async with websocket.app.state.sessionmaker() as db:
        rows = await notebooks.list_owned(db, user)
    data = [NotebookPublic.of(n).model_dump(mode="json") for n in rows]
    return json.dumps({"type": "snapshot", "notebooks": data})


async def _pump(websocket: WebSocket, subscriber: Subscriber) -> None:
    """Sends the subscriber's mailbox through ASGI, for servers without frame writers."""
    while True:
        await websocket.send_text((await subscriber.next()).text)


async def _until_closed(websocket: WebSocket) -> None:
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass  # the feed is one-way; anything a client sends is ignored


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    # Bounded: a client that stopped reading may never take even the close frame.
    with contextlib.suppress(TimeoutError, RuntimeError, OSError):
        await asyncio.wait_for(websocket.close(code=code, reason=reason), CLOSE_TIMEOUT_SECONDS)


@router.websocket("/events")
async def events(websocket: WebSocket) -> None:
    """Snapshot `{type: snapshot, notebooks}`, then `{type: event, topic, action, id, version,
    data}` for the user's notebooks, todos, lists and tags, and `{type: ping}` heartbeats."""
    settings: Settings = websocket.app.state.settings
    if foreign_origin(websocket, settings.public_url) is not None:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="origin not allowed")
        return
    signed_in = await _authenticate(websocket)
    if signed_in is None or signed_in.user.id is None:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="sign in first")
        return
    limits: ConnectionLimits = websocket.app.state.connection_limits
    try:
        lease = await limits.acquire(
            "WebSockets", signed_in.credential.user_id, settings.max_websockets_per_user
        )
    except TooManyConnections as exc:
        await websocket.close(code=status.WS_1013_TRY_AGAIN_LATER, reason=str(exc)[:120])
        return
    try:
        await _serve(websocket, signed_in)
    finally:
        await limits.release(lease)


async def _serve(websocket: WebSocket, signed_in: sessions.SignedIn) -> None:
    user = signed_in.user
    await websocket.accept()
    hub: EventHub = websocket.app.state.event_hub
    opened = hub.revocations.register(signed_in.credential)
    # Subscribe before reading the snapshot, so nothing between the two is lost.
    subscriber = await hub.subscribe(signed_in.credential.user_id)
    tasks: list[asyncio.Task[object]] = []
    WEBSOCKET_CLIENTS.inc()
    try:
        await websocket.send_text(await _snapshot(websocket, user))
        behind = asyncio.create_task(subscriber.overflowed.wait())
        ended = asyncio.create_task(opened.ended.wait())
        tasks = [behind, ended, asyncio.create_task(_until_closed(websocket))]
        write = frame_writer(websocket.scope)
        if write is not None:
            subscriber.write_directly(write)
        else:
            tasks.append(asyncio.create_task(_pump(websocket, subscriber)))
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if ended in done:
            await _close(websocket, status.WS_1008_POLICY_VIOLATION, opened.reason)
        elif behind in done:
            await _close(websocket, status.WS_1013_TRY_AGAIN_LATER, "fell behind")
    except WebSocketDisconnect:
        pass
    finally:
        hub.revocations.unregister(opened)
        WEBSOCKET_CLIENTS.dec()
        await hub.unsubscribe(subscriber)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task
