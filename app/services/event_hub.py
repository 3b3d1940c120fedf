"""Fan-out of live events inside one api process.

One Redis subscription per process, however many WebSocket clients: each message goes only
to its owner's connections. A client that has fallen behind (its socket's buffer or its
mailbox is full) is dropped (it reconnects and gets a fresh snapshot) rather than slowing
everyone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict, deque
from dataclasses import dataclass

from redis.asyncio import Redis

from app.services.events import channel_for
from app.websocket_protocol import FrameWriter, encode_text_frame

log = logging.getLogger(__name__)
QUEUE_SIZE = 256
HEARTBEAT_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message in the two forms connections send it, both built once for all of them:
    the text for an ASGI `send()`, the frame for a direct write (app/websocket_protocol.py)."""

    text: str
    frame: bytes

    @classmethod
    def of(cls, text: str) -> Outgoing:
        return cls(text, encode_text_frame(text))


# Offered to every subscriber by one timer per process, so a connection's pump just awaits its
# queue (a per-connection `wait_for` timeout cost a third of the loop's time at 1,000 clients).
PING = Outgoing.of('{"type":"ping"}')


class Subscriber:
    """One connection's way out: its frame writer once the connection has one, and until
    then (or under a server without writers) a mailbox of at most QUEUE_SIZE messages that
    the connection's pump sends.

    The mailbox is a deque and a single waiter rather than an `asyncio.Queue`, whose
    bookkeeping the pump does not need (with 1,000 connections, first → last client time
    fell from 52-61 to 46-52 ms; bench/README.md).
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
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._subscribers: dict[int, set[Subscriber]] = defaultdict(set)
        self._tasks: list[asyncio.Task[None]] = []
        self.ready = asyncio.Event()

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run(), name="event-hub"),
            asyncio.create_task(self._heartbeat(), name="event-hub-heartbeat"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for group in tuple(self._subscribers.values()):
                for subscriber in tuple(group):
                    subscriber.offer(PING)

    def subscribe(self, user_id: int) -> Subscriber:
        subscriber = Subscriber(user_id)
        self._subscribers[user_id].add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        group = self._subscribers.get(subscriber.user_id)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del self._subscribers[subscriber.user_id]

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

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(channel_for(self._redis))
                    self.ready.set()
                    backoff = 0.1
                    async for item in pubsub.listen():
                        if item["type"] == "message":
                            self.dispatch(item["data"])
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep trying, clients keep their sockets
                self.ready.clear()
                log.warning("event subscription lost; retrying in %.1fs", backoff, exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
