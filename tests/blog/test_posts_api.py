"""Posts through the API: create, read, list with filters, versioned edits, slugs, delete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.api.conftest import EventLog
from tests.blog.conftest import edit, new_post


async def test_create_answers_201_with_defaults_and_rendered_html(
    backend: str, alice: httpx.AsyncClient
) -> None:
    r = await alice.post(
        "/api/posts",
        json={"title": "  Hello, Wörld!  ", "body": "First *para*.\n\nSecond.", "tags": ["Py"]},
    )
    assert r.status_code == 201, r.text
    post = r.json()
    assert r.headers["location"] == post["url"] == f"http://test/api/posts/{post['id']}"
    assert post["title"] == "Hello, Wörld!"
    assert post["slug"] == "hello-world"
    assert post["status"] == "draft" and post["published_at"] is None
    assert post["version"] == 1 and post["tags"] == ["Py"]
    assert post["author"]["username"] == "alice"
    assert post["html"] == "<p>First <em>para</em>.</p>\n<p>Second.</p>\n"
    assert post["summary"] == "First para."
    assert post["public_url"] == "http://127.0.0.1:8000/blog/hello-world"
    assert post["reading_minutes"] == 1
    again = await alice.get(post["url"])
    assert again.status_code == 200 and again.json() == post


async def test_slugs_are_made_unique_and_an_explicit_taken_one_is_409(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    first = await new_post(alice, "Same title")
    second = await new_post(bob, "Same title")
    assert (first["slug"], second["slug"]) == ("same-title", "same-title-2")
    r = await bob.post("/api/posts", json={"title": "x", "slug": "same-title"})
    assert r.status_code == 409 and r.json()["field"] == "slug"
    r = await alice.patch(f"/api/posts/{first['id']}", json={"version": 1, "slug": "same-title-2"})
    assert r.status_code == 409 and r.json()["field"] == "slug"
    assert (await alice.get(first["url"])).json()["version"] == 1


async def test_a_stale_version_is_409_naming_the_current_one(
    backend: str, alice: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "Draft", body="one")
    edited = await edit(alice, post, body="two")
    assert edited["version"] == 2 and edited["html"] == "<p>two</p>\n"
    r = await alice.patch(f"/api/posts/{post['id']}", json={"version": 1, "body": "three"})
    assert r.status_code == 409
    assert r.json()["current_version"] == 2 and r.json()["field"] == "version"
    assert "current version is 2" in r.json()["detail"]
    assert (await alice.get(post["url"])).json()["body"] == "two"


async def test_an_edit_that_changes_nothing_keeps_the_version(
    backend: str, alice: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "Same", body="b", tags=["a"])
    same = await edit(alice, post, title="Same", body="b", tags=["a"])
    assert same["version"] == 1 and same["updated_at"] == post["updated_at"]


async def test_another_users_post_is_404_everywhere(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "Mine")
    path = f"/api/posts/{post['id']}"
    assert (await bob.get(path)).status_code == 404
    assert (await bob.patch(path, json={"version": 1, "title": "x"})).status_code == 404
    assert (await bob.delete(path)).status_code == 404
    assert (await bob.get(f"{path}/revisions")).status_code == 404
    assert (await bob.post(f"{path}/revisions/1/restore", json={"version": 1})).status_code == 404
    assert (await bob.get("/api/posts")).json() == {"data": [], "count": 0}
    assert (await alice.get(path)).json()["title"] == "Mine"


async def test_list_filters_by_status_tag_and_text(backend: str, alice: httpx.AsyncClient) -> None:
    await new_post(alice, "Alpha", body="about Kubernetes", tags=["Ops"])
    beta = await new_post(alice, "Beta", body="about Python", tags=["python", "ops"])
    await edit(alice, beta, status="published")
    await new_post(alice, "Gamma", body="nothing", tags=["misc"])

    async def titles(**params: str) -> list[str]:
        r = await alice.get("/api/posts", params=params)
        assert r.status_code == 200, r.text
        assert r.json()["count"] == len(r.json()["data"])
        return sorted(p["title"] for p in r.json()["data"])

    assert await titles() == ["Alpha", "Beta", "Gamma"]
    assert await titles(status="published") == ["Beta"]
    assert await titles(status="draft") == ["Alpha", "Gamma"]
    assert await titles(tag="OPS") == ["Alpha", "Beta"]
    assert await titles(q="kubernetes") == ["Alpha"]
    assert await titles(q="BET") == ["Beta"]
    assert await titles(q="100%") == []
    page = (await alice.get("/api/posts", params={"limit": 1, "offset": 1})).json()
    assert page["count"] == 3 and len(page["data"]) == 1
    assert "body" not in page["data"][0] and "html" not in page["data"][0]


async def test_status_rules_for_scheduling_and_publishing(
    backend: str, alice: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "Later")
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    past = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0)
    r = await alice.patch(post["url"], json={"version": 1, "status": "scheduled"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "publish_at"]
    r = await alice.patch(
        post["url"], json={"version": 1, "status": "scheduled", "publish_at": past.isoformat()}
    )
    assert r.status_code == 422
    r = await alice.patch(
        post["url"], json={"version": 1, "status": "published", "publish_at": future}
    )
    assert r.status_code == 422 and "scheduled" in r.text
    scheduled = await edit(alice, post, status="scheduled", publish_at=future)
    assert scheduled["status"] == "scheduled" and scheduled["published_at"] is None
    backdated = await edit(alice, scheduled, status="published", publish_at=past.isoformat())
    assert datetime.fromisoformat(backdated["published_at"]) == past
    assert backdated["publish_at"] is None
    draft = await edit(alice, backdated, status="draft")
    again = await edit(alice, draft, status="published")
    assert again["published_at"] == backdated["published_at"]


async def test_renamed_slug_is_remembered_and_can_be_taken_back(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "Old name")
    renamed = await edit(alice, post, slug="new-name")
    assert renamed["slug"] == "new-name"
    # Another post may claim the old slug (its redirect ends then).
    claimed = await new_post(bob, "Other", slug="old-name")
    assert claimed["slug"] == "old-name"
    back = await edit(alice, renamed, slug="old-name-again")
    assert back["slug"] == "old-name-again"


async def test_delete_answers_204_and_sends_events(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    post = await new_post(alice, "Short-lived")
    edited = await edit(alice, post, title="Renamed")
    assert (await alice.delete(post["url"])).status_code == 204
    assert (await alice.get(post["url"])).status_code == 404
    events = await live_events.drain(topics=("post",))
    assert [(e["action"], e["version"]) for e in events] == [
        ("created", 1),
        ("updated", 2),
        ("deleted", 3),
    ]
    assert events[1]["data"]["title"] == "Renamed" and "body" not in events[1]["data"]
    assert events[1]["data"]["version"] == edited["version"]
    assert events[2]["data"] is None


async def test_preview_renders_without_saving(backend: str, alice: httpx.AsyncClient) -> None:
    r = await alice.post("/api/posts/preview", json={"body": "# Hi\n\n<b>raw</b>"})
    assert r.status_code == 200
    assert r.json()["html"] == '<h1 id="hi">Hi</h1>\n<p>&lt;b&gt;raw&lt;/b&gt;</p>\n'
    assert (await alice.get("/api/posts")).json()["count"] == 0
    anonymous = httpx.AsyncClient(transport=alice._transport, base_url="http://test")
    async with anonymous:
        assert (await anonymous.post("/api/posts/preview", json={"body": "x"})).status_code == 401
