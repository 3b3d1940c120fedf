"""Which open sockets an announcement ends, through a real hub subscription, and after a
gap in it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from app.core.time import utcnow
from app.live.hub import EventHub
from app.live.revocation import CredentialId, Revocations, announce
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


async def test_an_announcement_ends_only_the_sockets_of_that_credential(
    hub: tuple[EventHub, Redis],
) -> None:
    event_hub, redis = hub
    registry = event_hub.revocations
    by_session = registry.register(CredentialId(1, session_digest="a" * 64))
    other_session = registry.register(CredentialId(1, session_digest="b" * 64))
    by_token = registry.register(CredentialId(1, token_id=7))
    someone_else = registry.register(CredentialId(2, token_id=8))

    await announce(redis, user_id=1, token_id=7)
    await asyncio.wait_for(by_token.ended.wait(), 5)
    assert by_token.reason == "token revoked"
    await announce(redis, user_id=1, session_digest="a" * 64)
    await asyncio.wait_for(by_session.ended.wait(), 5)
    assert not other_session.ended.is_set() and not someone_else.ended.is_set()

    await announce(redis, user_id=1)  # every credential of user 1
    await asyncio.wait_for(other_session.ended.wait(), 5)
    assert not someone_else.ended.is_set()
    for socket in (by_session, other_session, by_token, someone_else):
        registry.unregister(socket)
    assert registry.count(1) == 0


async def test_a_malformed_announcement_ends_nothing() -> None:
    registry = Revocations()
    socket = registry.register(CredentialId(1, token_id=1))
    for message in ("not json", "{}", '{"user_id": "x"}', '{"user_id": 1, "token_id": "y"}'):
        registry.dispatch(message)
    assert not socket.ended.is_set()


async def test_a_credential_already_expired_ends_its_socket_at_once() -> None:
    registry = Revocations()
    socket = registry.register(CredentialId(1, token_id=1, expires_at=utcnow() - timedelta(1)))
    assert socket.ended.is_set() and socket.reason == "credential expired"


async def test_after_a_gap_sockets_of_credentials_no_longer_valid_are_ended() -> None:
    valid = CredentialId(1, token_id=1)

    async def verify(credentials: list[CredentialId]) -> set[CredentialId]:
        return {c for c in credentials if c == valid}

    registry = Revocations(verify)
    kept, dropped = registry.register(valid), registry.register(CredentialId(1, token_id=2))
    await registry.resync()
    assert dropped.ended.is_set() and not kept.ended.is_set()
