"""Revisions are bounded: the last `blog_revisions_kept` of a post stay, the rest go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.core.config import Settings
from tests.blog.conftest import edit, new_post


@pytest.fixture
def settings(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None
) -> Settings:
    return settings_factory(database_url, blog_revisions_kept=3)


async def versions(client: httpx.AsyncClient, post: dict[str, Any]) -> list[int]:
    listed = (await client.get(f"{post['url']}/revisions")).json()
    assert listed["count"] == len(listed["data"])
    return [r["version"] for r in listed["data"]]


async def test_only_the_newest_revisions_are_kept(backend: str, alice: httpx.AsyncClient) -> None:
    post = await new_post(alice, "T", body="v1")
    other = await new_post(alice, "Other", body="o1")
    for n in range(2, 6):
        post = await edit(alice, post, body=f"v{n}")
    assert await versions(alice, post) == [5, 4, 3]
    assert (await alice.get(f"{post['url']}/revisions/2")).status_code == 404
    # A save that changes no text (tags) bumps the version but keeps every revision.
    post = await edit(alice, post, tags=["kept"])
    assert await versions(alice, post) == [5, 4, 3]
    # The newest, the current text, is never the one pruned.
    post = await edit(alice, post, title="T2")
    assert await versions(alice, post) == [7, 5, 4]
    newest = (await alice.get(f"{post['url']}/revisions/7")).json()
    assert (newest["title"], newest["body"]) == ("T2", "v5")
    restored = (
        await alice.post(f"{post['url']}/revisions/4/restore", json={"version": post["version"]})
    ).json()
    assert restored["body"] == "v4"
    assert await versions(alice, restored) == [8, 7, 5]
    # Other posts keep theirs.
    assert await versions(alice, other) == [1]
