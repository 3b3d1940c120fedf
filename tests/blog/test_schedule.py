"""Scheduled posts go live through the real worker: its cron publishes them, they enter the
feed, and the author's open tab hears it on the live feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import httpx
import pytest

from app.core.config import Settings
from tests.support.environment import INSTANCE
from tests.support.stack import Stack


@pytest.fixture
def stack_settings(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None
) -> Settings:
    return settings_factory(database_url, instance=INSTANCE, blog_publish_check_seconds=1)


async def test_a_scheduled_post_goes_live_at_its_time(
    backend: str, stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed = await feed_for(alice)
    when = datetime.now(UTC) + timedelta(seconds=3)
    r = await alice.post(
        "/api/posts",
        json={
            "title": "Timed",
            "body": "Out on time.",
            "status": "scheduled",
            "publish_at": when.isoformat(),
        },
    )
    assert r.status_code == 201, r.text
    post = r.json()
    async with httpx.AsyncClient(base_url=stack.base_url) as anonymous:
        assert (await anonymous.get(f"/blog/{post['slug']}")).status_code == 404
        assert feedparser.parse((await anonymous.get("/blog/feed.xml")).content).entries == []
        published = await feed.wait_for(
            lambda m: (
                m.get("type") == "event"
                and m.get("topic") == "post"
                and m["id"] == post["id"]
                and m["data"]["status"] == "published"
            ),
            timeout=30,
        )
        assert published["version"] == post["version"] + 1
        assert datetime.fromisoformat(published["data"]["published_at"]) == when
        assert datetime.now(UTC) >= when
        page = await anonymous.get(f"/blog/{post['slug']}")
        assert page.status_code == 200 and "Out on time." in page.text
        entries = feedparser.parse((await anonymous.get("/blog/feed.xml")).content).entries
        assert [e.title for e in entries] == ["Timed"]
    current = (await alice.get(f"/api/posts/{post['id']}")).json()
    assert current["status"] == "published" and current["publish_at"] is None
