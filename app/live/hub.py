"""Fan-out of live events inside one api process.

One Redis subscription per process, however many WebSocket clients, to the channels of the
users it has connections of (so a process without tabs of a user is not woken by that
user's events): each message goes only to its owner's connections. A client that has
fallen behind (its socket's buffer or its mailbox is full) is dropped (it reconnects and
gets a fresh snapshot) rather than slowing everyone else; so is every client when the
subscription comes back after a loss, since it may have missed events meanwhile.

The same subscription carries credential revocations (app/live/revocation.py) to the
process's `Revocations`, which ends the sockets opened with a credential that has ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict, deque
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from app.live.events import channel_for, keepalive_channel
from app.live.protocol import FrameWriter, encode_text_frame
from app.live.revocation import Revocations, revocation_channel

log = logging.getLogger(__name__)
QUEUE_SIZE = 256
HEARTBEAT_SECONDS = 15.0
# How long a new connection waits for Redis to confirm its user's subscription.
SUBSCRIBE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message in the two forms connections send it, both built once for all of them:
    the text for an ASGI `send()`, the frame for a direct write (app/live/protocol.py)."""

    text: str
    frame: bytes

    @classmethod
    def of(cls, text: str) -> Outgoing:
        return cls(text, encode_text_frame(text))


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("%s failed", task.get_name(), exc_info=task.exception())


# Offered to every subscriber by one timer per process, so a connection's pump just awaits its
# queue (a per-connection `wait_for` timeout cost a third of the loop's time at 1,000 clients).
PING = Outgoing.of('{"type":"ping"}')


class Subscriber:
    """One connection's way out: its frame writer once the connection has one, and until
    then (or under a server without writers) a mailbox of at most QUEUE_SIZE messages that
    the connection's pump sends.

    The mailbox is a deque and a single waiter rather than an `asyncio.Queue`, whose
    bookkeeping the pump does not need and which, paid once per connection, shows in the
    time from the first tab to the last.
    """

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self.pending: deque[Outgoing] = deque()
        self.overflowed = asyncio.Event()
        self._waiter: asyncio.Future[None] | None = None
        self._write: FrameWriter | None = None

    def write_directly(self, write: FrameWriter) -> None:
        """Write what is pending and, from now on, each message as it is offered."""
        self._write = write
        pending, self.pending = self.pending, deque()
        for message in pending:
            self.offer(message)

    def offer(self, message: Outgoing) -> None:
        if self._write is not None:
            if not self._write(message.frame):
                self.overflowed.set()  # closing, or its socket's buffer is full: behind
            return
        if len(self.pending) >= QUEUE_SIZE:
            self.overflowed.set()
            return
        self.pending.append(message)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def next(self) -> Outgoing:
        """The next message, waiting for one if none is pending (one reader only)."""
        while not self.pending:
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        return self.pending.popleft()


class EventHub:
    def __init__(self, redis: Redis, revocations: Revocations | None = None) -> None:
        self._redis = redis
        self.revocations = revocations or Revocations()
        self._revocation_channel = revocation_channel(redis)
        self._subscribers: dict[int, set[Subscriber]] = defaultdict(set)
        # The live subscription (None while connecting), and per user channel the future
        # that Redis's confirmation of our SUBSCRIBE resolves.
        self._pubsub: PubSub | None = None
        self._confirmed: dict[str, asyncio.Future[None]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._background: set[asyncio.Task[None]] = set()
        self.ready = asyncio.Event()

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run(), name="event-hub"),
            asyncio.create_task(self._heartbeat(), name="event-hub-heartbeat"),
        ]

    def _spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_log_failure)

    async def stop(self) -> None:
        for task in (*self._tasks, *self._background):
            task.cancel()
        for task in (*self._tasks, *self._background):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for group in tuple(self._subscribers.values()):
                for subscriber in tuple(group):
                    subscriber.offer(PING)

    async def subscribe(self, user_id: int) -> Subscriber:
        """A new connection of `user_id`'s. When this returns, what is published for the user
        reaches it (the user's channel is subscribed and Redis confirmed it), unless Redis is
        unreachable: then the channel is subscribed when the hub reconnects."""
        subscriber = Subscriber(user_id)
        self._subscribers[user_id].add(subscriber)
        channel = channel_for(self._redis, user_id)
        confirmed = self._confirmed.get(channel)
        if confirmed is None:
            if self._pubsub is None:
                return subscriber  # connecting: `_run` subscribes every user it has
            confirmed = self._confirmed[channel] = asyncio.get_running_loop().create_future()
            try:
                await self._pubsub.subscribe(channel)
            except (RedisError, OSError):
                return subscriber  # the connection is going: `_run` subscribes again
        try:
            await asyncio.wait_for(asyncio.shield(confirmed), SUBSCRIBE_TIMEOUT_SECONDS)
        except TimeoutError:
            log.warning("no confirmation of the subscription to %s", channel)
        return subscriber

    async def unsubscribe(self, subscriber: Subscriber) -> None:
        group = self._subscribers.get(subscriber.user_id)
        if group is None:
            return
        group.discard(subscriber)
        if group:
            return
        del self._subscribers[subscriber.user_id]
        channel = channel_for(self._redis, subscriber.user_id)
        self._confirmed.pop(channel, None)
        if self._pubsub is not None:
            # Sent before any later SUBSCRIBE of the same user's next tab, so Redis ends
            # subscribed when that comes.
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.unsubscribe(channel)

    @property
    def client_count(self) -> int:
        return sum(len(group) for group in self._subscribers.values())

    def dispatch(self, message: str) -> None:
        """Forward one published event to its owner's connections, in the form they send.

        Published as `{user_id, topic, ...}`; clients get `{type: event, user_id, topic,
        ...}`, built here once rather than once per connection.
        """
        try:
            user_id = int(json.loads(message)["user_id"])
        except (ValueError, KeyError, TypeError):
            log.warning("dropping a malformed event: %.200s", message)
            return
        subscribers = self._subscribers.get(user_id)
        if not subscribers:
            return
        wire = Outgoing.of('{"type":"event",' + message.lstrip()[1:])
        for subscriber in tuple(subscribers):
            subscriber.offer(wire)

    def _drop_everyone(self) -> None:
        for group in tuple(self._subscribers.values()):
            for subscriber in tuple(group):
                subscriber.overflowed.set()

    async def _run(self) -> None:
        backoff = 0.1
        connected_before = False
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    loop = asyncio.get_running_loop()
                    self._confirmed = {
                        channel_for(self._redis, user): loop.create_future()
                        for user in self._subscribers
                    }
                    self._pubsub = pubsub
                    await pubsub.subscribe(
                        keepalive_channel(self._redis), self._revocation_channel, *self._confirmed
                    )
                    self.ready.set()
                    backoff = 0.1
                    if connected_before:
                        # Events published while we were not subscribed never reached these
                        # tabs: drop them, and they reconnect to a fresh snapshot.
                        self._drop_everyone()
                        # Revocations published meanwhile were missed too.
                        self._spawn(self.revocations.resync(), "revocation-resync")
                    connected_before = True
                    async for item in pubsub.listen():
                        if item["type"] == "message":
                            if item["channel"] == self._revocation_channel:
                                self.revocations.dispatch(item["data"])
                            else:
                                self.dispatch(item["data"])
                        elif item["type"] == "subscribe":
                            confirmed = self._confirmed.get(item["channel"])
                            if confirmed is not None and not confirmed.done():
                                confirmed.set_result(None)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep trying
                log.warning("event subscription lost; retrying in %.1fs", backoff, exc_info=True)
            finally:
                self._pubsub = None
                self.ready.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)
