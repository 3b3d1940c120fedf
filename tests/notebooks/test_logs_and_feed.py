"""Container logs through the api (tail and follow), and todo changes on the live feed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from tests.support.environment import TEST_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack


async def test_logs_tail_and_follow(stack: Stack, feed_for: Callable[..., Any]) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    nb = (await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})).json()[
        "id"
    ]
    await feed.wait_status(nb, "healthy")
    for _ in range(50):
        text = (await alice.get(f"/api/notebooks/{nb}/logs?tail=10")).text
        if "listening" in text:
            break
        await asyncio.sleep(0.1)
    assert "testnb listening" in text

    async def follow_until_second_start() -> list[str]:
        lines: list[str] = []
        async with alice.stream("GET", f"/api/notebooks/{nb}/logs?tail=5&follow=true") as r:
            assert r.status_code == 200
            async for line in r.aiter_lines():
                lines.append(line)
                if sum("listening" in x for x in lines) == 2:
                    break
        return lines

    follower = asyncio.create_task(follow_until_second_start())
    await asyncio.sleep(0.5)
    # A restart makes a new container, whose first line the follower must receive.
    assert (await alice.post(f"/api/notebooks/{nb}/restart")).status_code == 202
    lines = await asyncio.wait_for(follower, 60)
    assert sum("testnb listening" in line for line in lines) == 2


async def test_todo_changes_reach_every_open_feed_of_their_owner_only(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice, bob = await stack.user("alice"), await stack.user("bob")
    tab1: EventFeed = await feed_for(alice)
    tab2: EventFeed = await feed_for(alice)
    bobs: EventFeed = await feed_for(bob)
    todo = (await alice.post("/api/todos", json={"title": "ship it"})).json()
    for tab in (tab1, tab2):
        event = await tab.wait_for(lambda m: m.get("topic") == "todo" and m["id"] == todo["id"], 5)
        assert event["action"] == "created" and event["data"]["title"] == "ship it"
    await alice.patch(f"/api/todos/{todo['id']}", json={"completed": True})
    await tab2.wait_for(lambda m: m.get("topic") == "todo" and m.get("action") == "updated", 5)
    await alice.delete(f"/api/todos/{todo['id']}")
    await tab1.wait_for(lambda m: m.get("topic") == "todo" and m.get("action") == "deleted", 5)
    assert [m for m in bobs.messages if m.get("type") == "event"] == []
