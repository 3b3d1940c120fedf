"""Fixtures shared by the API tests: live events heard on Redis, and todo helpers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from app.live.events import every_user_channel
from tests.support.environment import REDIS_TEST_URL


class EventLog:
    """The live events published since the fixture subscribed, on the test database's
    channels; only the given topics are kept (the notebook watcher publishes there too)."""

    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    async def drain(
        self, *, topics: tuple[str, ...] = ("todo", "list", "tag"), settle: float = 0.3
    ) -> list[dict[str, Any]]:
        """Every event received until none arrives for `settle` seconds."""
        events: list[dict[str, Any]] = []
        while True:
            message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=settle)
            if message is None:
                break
            event = json.loads(message["data"])
            if event["topic"] in topics:
                events.append(event)
        return events


@pytest.fixture
async def live_events() -> AsyncIterator[EventLog]:
    redis = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    pubsub = redis.pubsub()
    await pubsub.psubscribe(every_user_channel(redis))
    for _ in range(50):  # wait for the confirmation: from then on nothing is missed
        if await pubsub.get_message(timeout=0.1) is not None:
            break
        await asyncio.sleep(0)
    try:
        yield EventLog(pubsub)
    finally:
        await pubsub.aclose()
        await redis.aclose()


async def new_todo(client: httpx.AsyncClient, title: str, **fields: Any) -> dict[str, Any]:
    r = await client.post("/api/todos", json={"title": title, **fields})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def new_list(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    r = await client.post("/api/lists", json={"name": name, **fields})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def todos_of(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await client.get("/api/todos", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    data: list[dict[str, Any]] = r.json()["data"]
    return data


async def titles(client: httpx.AsyncClient, **params: Any) -> list[str]:
    return [todo["title"] for todo in await todos_of(client, **params)]
