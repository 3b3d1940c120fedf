"""The per-process fan-out: one Redis subscription, events only to their owner, slow
clients dropped instead of slowing the others."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from app.live import hub as event_hub_module
from app.live.events import Event, channel_for, publish
from app.live.hub import PING, QUEUE_SIZE, EventHub, Outgoing, Subscriber
from app.live.protocol import encode_text_frame
from tests.support.environment import REDIS_TEST_URL


@pytest.fixture
async def hub(clean_state: None) -> AsyncIterator[tuple[EventHub, Redis]]:
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    event_hub = EventHub(redis)
    event_hub.start()
    await asyncio.wait_for(event_hub.ready.wait(), 5)
    yield event_hub, redis
    await event_hub.stop()
    await redis.aclose()


def todo_event(user_id: int, todo_id: int) -> Event:
    return Event(user_id=user_id, topic="todo", action="created", id=todo_id)


async def test_events_reach_only_their_owners_subscribers(hub: tuple[EventHub, Redis]) -> None:
    event_hub, redis = hub
    alice_tab1, alice_tab2 = await event_hub.subscribe(1), await event_hub.subscribe(1)
    bob = await event_hub.subscribe(2)
    await publish(redis, todo_event(1, 10))
    for tab in (alice_tab1, alice_tab2):
        message = (await asyncio.wait_for(tab.next(), 5)).text
        assert json.loads(message) | {"type": "event", "id": 10} == json.loads(message)
    await publish(redis, todo_event(2, 20))
    assert '"id":20' in (await asyncio.wait_for(bob.next(), 5)).text
    assert not alice_tab1.pending and not alice_tab2.pending
    await event_hub.unsubscribe(bob)
    assert event_hub.client_count == 2


async def test_a_client_that_falls_behind_is_flagged_others_are_not(
    hub: tuple[EventHub, Redis],
) -> None:
    event_hub, redis = hub
    slow, fast = await event_hub.subscribe(1), await event_hub.subscribe(1)
    for i in range(QUEUE_SIZE + 5):
        await publish(redis, todo_event(1, i))
        if fast.pending:
            fast.pending.popleft()  # the fast client keeps up
    await asyncio.wait_for(slow.overflowed.wait(), 5)
    assert not fast.overflowed.is_set()


async def test_malformed_messages_are_ignored(hub: tuple[EventHub, Redis]) -> None:
    event_hub, redis = hub
    tab = await event_hub.subscribe(1)
    event_hub.dispatch("not json")
    event_hub.dispatch('{"no_user": 1}')
    await publish(redis, todo_event(1, 1))
    assert '"id":1' in (await asyncio.wait_for(tab.next(), 5)).text


async def test_heartbeats_reach_every_subscriber(
    clean_state: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_hub_module, "HEARTBEAT_SECONDS", 0.05)
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    event_hub = EventHub(redis)
    event_hub.start()
    try:
        tabs = [await event_hub.subscribe(1), await event_hub.subscribe(2)]
        for tab in tabs:
            assert await asyncio.wait_for(tab.next(), 5) is PING
    finally:
        await event_hub.stop()
        await redis.aclose()


async def test_a_waiting_reader_gets_the_next_offer_and_a_cancelled_one_loses_nothing() -> None:
    subscriber = Subscriber(1)
    first, second = Outgoing.of("first"), Outgoing.of("second")
    reader = asyncio.create_task(subscriber.next())
    await asyncio.sleep(0)  # the reader is waiting
    subscriber.offer(first)
    assert await asyncio.wait_for(reader, 1) is first

    abandoned = asyncio.create_task(subscriber.next())
    await asyncio.sleep(0)
    abandoned.cancel()
    subscriber.offer(second)
    assert await asyncio.wait_for(subscriber.next(), 1) is second


async def test_with_a_frame_writer_what_was_pending_goes_first_then_each_offer() -> None:
    subscriber = Subscriber(1)
    written: list[bytes] = []

    def write(frame: bytes) -> bool:
        written.append(frame)
        return True

    subscriber.offer(Outgoing.of("while the snapshot was read"))
    subscriber.write_directly(write)
    subscriber.offer(Outgoing.of("after"))
    assert written == [
        encode_text_frame("while the snapshot was read"),
        encode_text_frame("after"),
    ]
    assert not subscriber.pending and not subscriber.overflowed.is_set()


async def test_a_writer_that_refuses_a_frame_flags_its_subscriber() -> None:
    subscriber = Subscriber(1)
    subscriber.write_directly(lambda frame: False)  # closing, or its socket's buffer is full
    subscriber.offer(Outgoing.of("x"))
    assert subscriber.overflowed.is_set()


def test_frames_are_unmasked_text_frames_of_the_whole_message() -> None:
    short, long = encode_text_frame("é"), encode_text_frame("x" * 300)
    assert short == b"\x81\x02" + "é".encode()
    assert long[:4] == b"\x81\x7e\x01\x2c" and long[4:] == b"x" * 300


async def subscribers_of(redis: Redis, user_id: int) -> int:
    counts = await redis.pubsub_numsub(channel_for(redis, user_id))
    return int(counts[0][1])


async def test_a_process_listens_to_a_users_channel_only_while_it_has_their_tabs(
    hub: tuple[EventHub, Redis],
) -> None:
    event_hub, redis = hub
    tab1, tab2 = await event_hub.subscribe(1), await event_hub.subscribe(1)
    assert (await subscribers_of(redis, 1), await subscribers_of(redis, 2)) == (1, 0)
    await event_hub.unsubscribe(tab1)
    assert await subscribers_of(redis, 1) == 1, "one tab is still open"
    await event_hub.unsubscribe(tab2)
    assert await subscribers_of(redis, 1) == 0
    again = await event_hub.subscribe(1)  # right after the UNSUBSCRIBE: subscribed again
    await publish(redis, todo_event(1, 7))
    assert '"id":7' in (await asyncio.wait_for(again.next(), 5)).text


async def test_what_is_published_once_subscribe_returns_is_never_missed(
    hub: tuple[EventHub, Redis],
) -> None:
    event_hub, redis = hub
    for user_id in range(100, 130):  # each the first tab of its user: a new channel
        tab = await event_hub.subscribe(user_id)
        await publish(redis, todo_event(user_id, user_id))
        message = await asyncio.wait_for(tab.next(), 5)
        assert f'"id":{user_id}' in message.text


async def test_after_losing_redis_every_users_channel_is_subscribed_again(
    hub: tuple[EventHub, Redis],
) -> None:
    event_hub, redis = hub
    tab = await event_hub.subscribe(3)
    db = redis.connection_pool.connection_kwargs.get("db", 0)
    killed = 0
    for client in await redis.client_list():
        if int(client["db"]) == db and int(client["sub"]) > 0:
            killed += await redis.client_kill_filter(_id=client["id"])
    assert killed >= 1, "the hub's subscription was not found"
    for _ in range(100):  # the hub notices, waits its backoff and reconnects
        if event_hub.ready.is_set() and await subscribers_of(redis, 3) == 1:
            break
        await asyncio.sleep(0.05)
    await publish(redis, todo_event(3, 33))
    assert '"id":33' in (await asyncio.wait_for(tab.next(), 5)).text
