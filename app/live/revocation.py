"""Ending open WebSockets when the credential they were opened with ends.

A WebSocket is authenticated once, at its handshake; after that nothing asks again. So
whatever ends a credential (sign-out, a revoked token, a password change, "sign out
everywhere", a disabled account) calls `announce`, which publishes on one Redis channel;
every api process receives it on the subscription its event hub already holds and ends its
own matching sockets (the live feed and the notebook proxy's bridges), which watch their
`OpenSocket.ended`. A credential that simply expires ends its sockets at that moment, by a
timer, with no announcement.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from redis.asyncio import Redis

from app.core.time import utcnow
from app.live.events import channel_prefix

log = logging.getLogger(__name__)


def revocation_channel(redis: Redis) -> str:
    return f"{channel_prefix(redis)}:revocations"


async def announce(
    redis: Redis, *, user_id: int, session_digest: str | None = None, token_id: int | None = None
) -> None:
    """End, in every api process, the WebSockets of `user_id` opened with that sign-in
    session (by its digest) or that API token (by its id); all of the user's when neither
    is given."""
    message = {"user_id": user_id, "session_digest": session_digest, "token_id": token_id}
    await redis.publish(revocation_channel(redis), json.dumps(message))


@dataclass(frozen=True, slots=True)
class CredentialId:
    """What a socket was opened with: a sign-in session (its digest) or an API token (its
    id), and when it expires."""

    user_id: int
    session_digest: str | None = None
    token_id: int | None = None
    expires_at: datetime | None = None

    def matches(self, session_digest: str | None, token_id: int | None) -> bool:
        if session_digest is None and token_id is None:
            return True  # every credential of the user
        if session_digest is not None and session_digest == self.session_digest:
            return True
        return token_id is not None and token_id == self.token_id


@dataclass(eq=False)
class OpenSocket:
    """One open WebSocket's registration; `ended` is set (once) when its credential ends."""

    credential: CredentialId
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    reason: str = ""
    _timer: asyncio.TimerHandle | None = None

    def end(self, reason: str) -> None:
        if not self.ended.is_set():
            self.reason = reason
            self.ended.set()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


# Given the credentials of the open sockets, those that are still valid (for after a gap in
# the subscription, when announcements may have been missed).
Verifier = Callable[[list[CredentialId]], Awaitable[set[CredentialId]]]


class Revocations:
    """The open WebSockets of this api process, by user."""

    def __init__(self, verify: Verifier | None = None) -> None:
        self._open: dict[int, set[OpenSocket]] = defaultdict(set)
        self._verify = verify
        self._listeners: list[Callable[[int], None]] = []

    def add_listener(self, listener: Callable[[int], None]) -> None:
        """Called with the user's id on every announcement (to drop cached credentials)."""
        self._listeners.append(listener)

    def register(self, credential: CredentialId) -> OpenSocket:
        socket = OpenSocket(credential)
        self._open[credential.user_id].add(socket)
        if credential.expires_at is not None:
            delay = (credential.expires_at - utcnow()).total_seconds()
            if delay <= 0:
                socket.end("credential expired")
            else:
                socket._timer = asyncio.get_running_loop().call_later(
                    delay, socket.end, "credential expired"
                )
        return socket

    def unregister(self, socket: OpenSocket) -> None:
        group = self._open.get(socket.credential.user_id)
        if group is not None:
            group.discard(socket)
            if not group:
                del self._open[socket.credential.user_id]
        if socket._timer is not None:
            socket._timer.cancel()
            socket._timer = None

    def count(self, user_id: int) -> int:
        return len(self._open.get(user_id, ()))

    def end(self, user_id: int, *, session_digest: str | None, token_id: int | None) -> int:
        """End the user's sockets opened with that credential; how many there were."""
        for listener in self._listeners:
            listener(user_id)
        ended = 0
        for socket in tuple(self._open.get(user_id, ())):
            if socket.credential.matches(session_digest, token_id):
                socket.end("signed out" if token_id is None else "token revoked")
                ended += 1
        return ended

    def dispatch(self, message: str) -> None:
        """One announcement, as published by `announce`."""
        try:
            data = json.loads(message)
            user_id = int(data["user_id"])
            digest = data.get("session_digest")
            token_id = data.get("token_id")
            token_id = None if token_id is None else int(token_id)
        except (ValueError, KeyError, TypeError):
            log.warning("dropping a malformed revocation: %.200s", message)
            return
        self.end(user_id, session_digest=digest, token_id=token_id)

    def sockets(self) -> Iterable[OpenSocket]:
        for group in tuple(self._open.values()):
            yield from tuple(group)

    async def resync(self) -> None:
        """After the subscription was lost (announcements may have been missed meanwhile):
        end every socket whose credential is no longer valid."""
        if self._verify is None:
            return
        sockets = list(self.sockets())
        if not sockets:
            return
        valid = await self._verify([s.credential for s in sockets])
        for socket in sockets:
            if socket.credential not in valid:
                socket.end("credential no longer valid")
