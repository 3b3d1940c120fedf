"""Todos: create, read, partial update, delete, due dates, url and ownership."""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.api.conftest import new_list, new_todo, todos_of


async def test_create_answers_201_with_location_url_and_defaults(
    backend: str, alice: httpx.AsyncClient
) -> None:
    r = await alice.post("/api/todos", json={"title": "  Write the report  "})
    assert r.status_code == 201, r.text
    todo = r.json()
    assert todo["url"] == f"http://test/api/todos/{todo['id']}"
    assert r.headers["location"] == todo["url"]
    assert todo["title"] == "Write the report"
    expected: dict[str, object] = {
        "list_id": None,
        "notes": "",
        "completed": False,
        "completed_at": None,
        "due": None,
        "priority": "none",
        "tags": [],
        "order": 0,
        "version": 1,
    }
    assert {k: todo[k] for k in expected} == expected
    created = datetime.fromisoformat(todo["created_at"])
    assert created.tzinfo is not None and created == datetime.fromisoformat(todo["updated_at"])
    again = await alice.get(todo["url"])
    assert again.status_code == 200 and again.json() == todo


async def test_create_with_every_field(backend: str, alice: httpx.AsyncClient) -> None:
    work = await new_list(alice, "Work")
    todo = await new_todo(
        alice,
        "Ship it",
        notes="# Plan\n\n- [ ] **tests**",
        completed=True,
        due="2026-12-01",
        priority="high",
        tags=["urgent", "Work", " work "],
        list_id=work["id"],
    )
    assert todo["notes"] == "# Plan\n\n- [ ] **tests**"
    assert todo["completed"] is True and todo["completed_at"] is not None
    assert todo["due"] == "2026-12-01"
    assert todo["priority"] == "high"
    assert todo["tags"] == ["urgent", "Work"]  # one tag per name ignoring case, sorted
    assert todo["list_id"] == work["id"]


async def test_due_is_answered_in_the_form_it_was_given(
    backend: str, alice: httpx.AsyncClient
) -> None:
    day = await new_todo(alice, "day", due="2026-12-01")
    moment = await new_todo(alice, "moment", due="2026-12-01T09:30:00+02:00")
    utc = await new_todo(alice, "utc", due="2026-12-01T23:00:00Z")
    assert day["due"] == "2026-12-01"
    assert moment["due"] == "2026-12-01T07:30:00Z"  # the same instant, in UTC
    assert utc["due"] == "2026-12-01T23:00:00Z"
    r = await alice.patch(day["url"], json={"due": "2027-01-02T08:00:00Z"})
    assert r.json()["due"] == "2027-01-02T08:00:00Z"
    r = await alice.patch(day["url"], json={"due": "2027-01-03"})
    assert r.json()["due"] == "2027-01-03"
    r = await alice.patch(day["url"], json={"due": None})
    assert r.json()["due"] is None


async def test_naive_datetimes_are_refused(backend: str, alice: httpx.AsyncClient) -> None:
    r = await alice.post("/api/todos", json={"title": "x", "due": "2026-12-01T09:00:00"})
    assert r.status_code == 422
    [error] = r.json()["detail"]
    assert error["loc"] == ["body", "due"]
    assert "include a timezone" in error["msg"]
    r = await alice.get("/api/todos", params={"due_before": "2026-12-01T09:00:00"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "due_before"]
    assert await todos_of(alice) == []


async def test_patch_is_partial_and_bumps_the_version(
    backend: str, alice: httpx.AsyncClient
) -> None:
    todo = await new_todo(alice, "Draft", notes="n", priority="low", due="2026-12-01")
    r = await alice.patch(todo["url"], json={"title": "Final"})
    assert r.status_code == 200, r.text
    patched = r.json()
    assert patched["title"] == "Final"
    assert {k: patched[k] for k in ("notes", "priority", "due")} == {
        "notes": "n",
        "priority": "low",
        "due": "2026-12-01",
    }
    assert patched["version"] == 2
    assert patched["updated_at"] > todo["updated_at"]
    r = await alice.patch(todo["url"], json={"notes": None, "priority": "medium"})
    assert r.json()["notes"] == "" and r.json()["priority"] == "medium"
    assert r.json()["version"] == 3


async def test_patch_without_change_keeps_the_version(
    backend: str, alice: httpx.AsyncClient
) -> None:
    todo = await new_todo(alice, "Same", tags=["a"])
    r = await alice.patch(todo["url"], json={"title": "Same", "tags": ["A"]})
    assert r.status_code == 200
    assert r.json()["version"] == 1 and r.json()["tags"] == ["a"]
    r = await alice.patch(todo["url"], json={})
    assert r.json()["version"] == 1


async def test_completing_sets_and_clears_completed_at(
    backend: str, alice: httpx.AsyncClient
) -> None:
    todo = await new_todo(alice, "Task")
    done = (await alice.patch(todo["url"], json={"completed": True})).json()
    assert done["completed"] is True
    assert datetime.fromisoformat(done["completed_at"]) >= datetime.fromisoformat(
        todo["created_at"]
    )
    undone = (await alice.patch(todo["url"], json={"completed": False})).json()
    assert undone["completed"] is False and undone["completed_at"] is None


async def test_patch_list_id_moves_and_null_returns_to_inbox(
    backend: str, alice: httpx.AsyncClient
) -> None:
    work = await new_list(alice, "Work")
    todo = await new_todo(alice, "Task")
    moved = (await alice.patch(todo["url"], json={"list_id": work["id"]})).json()
    assert moved["list_id"] == work["id"]
    back = (await alice.patch(todo["url"], json={"list_id": None})).json()
    assert back["list_id"] is None


async def test_nullable_and_required_fields_in_patch(
    backend: str, alice: httpx.AsyncClient
) -> None:
    todo = await new_todo(alice, "Task")
    for field in ("title", "completed", "priority", "tags", "order"):
        r = await alice.patch(todo["url"], json={field: None})
        assert r.status_code == 422, field
        assert r.json()["detail"][0]["loc"] == ["body", field]
    assert (await alice.get(todo["url"])).json()["version"] == 1


async def test_delete_then_404(backend: str, alice: httpx.AsyncClient) -> None:
    todo = await new_todo(alice, "Gone soon")
    r = await alice.delete(todo["url"])
    assert r.status_code == 204
    assert (await alice.get(todo["url"])).status_code == 404
    assert (await alice.delete(todo["url"])).status_code == 404
    assert (await alice.patch(todo["url"], json={"title": "x"})).status_code == 404
    assert (await alice.get("/api/todos/999999")).status_code == 404


async def test_another_users_todos_are_404_and_invisible(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    work = await new_list(alice, "Work")
    todo = await new_todo(alice, "Alice's", list_id=work["id"], tags=["secret"])
    url = todo["url"]
    assert (await bob.get(url)).status_code == 404
    assert (await bob.patch(url, json={"title": "mine"})).status_code == 404
    assert (await bob.post(f"{url}/move", json={"position": 0})).status_code == 404
    assert (await bob.delete(url)).status_code == 404
    assert (await bob.get("/api/todos")).json() == {"data": [], "count": 0}
    assert await todos_of(bob, list_id=work["id"]) == []
    assert await todos_of(bob, tag="secret") == []
    r = await bob.delete("/api/todos", params={"q": "Alice"})
    assert r.status_code == 200 and r.json() == {"deleted": 0}
    assert (await alice.get(url)).json() == todo


async def test_another_users_list_id_is_422_on_list_id(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    alices = await new_list(alice, "Work")
    r = await bob.post("/api/todos", json={"title": "x", "list_id": alices["id"]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "list_id"]
    mine = await new_todo(bob, "Bob's")
    for method, path, body in (
        ("PATCH", mine["url"], {"list_id": alices["id"]}),
        ("POST", f"{mine['url']}/move", {"position": 0, "list_id": alices["id"]}),
        ("POST", "/api/todos", {"title": "y", "list_id": 424242}),
    ):
        r = await bob.request(method, path, json=body)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["detail"][0]["loc"] == ["body", "list_id"]
    assert (await alice.get(f"/api/lists/{alices['id']}")).json()["todo_count"] == 0
    assert [t["title"] for t in await todos_of(bob)] == ["Bob's"]


async def test_url_follows_the_request_host(backend: str, alice: httpx.AsyncClient) -> None:
    r = await alice.post(
        "https://todo.example.org/api/todos", json={"title": "x"}, headers={"Host": "h.test"}
    )
    assert r.status_code == 201
    assert r.json()["url"].startswith("https://")
    assert r.json()["url"].endswith(f"/api/todos/{r.json()['id']}")
