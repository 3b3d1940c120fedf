"""Live events on Redis (`workspace:events`) after every change of todos, lists and tags."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.conftest import EventLog, new_list, new_todo


def brief(events: list[dict[str, Any]]) -> list[tuple[str, str, int, int | None]]:
    return [(e["topic"], e["action"], e["id"], e["version"]) for e in events]


async def user_id(client: httpx.AsyncClient) -> int:
    me: int = (await client.get("/api/me")).json()["id"]
    return me


async def test_todo_created_updated_deleted(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    me = await user_id(alice)
    todo = await new_todo(alice, "Task", tags=["x"])
    patched = (await alice.patch(todo["url"], json={"completed": True})).json()
    await alice.delete(todo["url"])
    events = await live_events.drain()
    [tag] = (await alice.get("/api/tags")).json()["data"]
    tid = todo["id"]
    assert brief(events) == [
        ("tag", "created", tag["id"], None),  # made on the fly for the todo
        ("todo", "created", tid, 1),
        ("todo", "updated", tid, 2),
        ("todo", "deleted", tid, 3),
    ]
    assert all(e["user_id"] == me for e in events)
    assert events[0]["data"] == {**tag, "todo_count": 1}
    assert events[1]["data"] == todo
    assert events[2]["data"] == patched
    assert events[3]["data"] is None
    await alice.post("/api/todos", json={"title": "again", "tags": ["X", "y"]})
    events = await live_events.drain()
    assert [(e["topic"], e["action"], (e["data"] or {}).get("name")) for e in events] == [
        ("tag", "created", "y"),
        ("todo", "created", None),
    ]


async def test_failed_and_idle_requests_publish_nothing(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient, live_events: EventLog
) -> None:
    todo = await new_todo(alice, "Task")
    await live_events.drain()
    await alice.post("/api/todos", json={"title": ""})
    await alice.patch(todo["url"], json={"title": "Task"})  # no change
    await alice.post(f"{todo['url']}/move", json={"position": 0})  # already there
    await bob.delete(todo["url"])
    await bob.delete("/api/todos", params={"completed": "false"})  # none of bob's
    assert await live_events.drain() == []


async def test_move_sends_the_todo_and_its_siblings_compactly(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    a, b, c = [await new_todo(alice, t) for t in "abc"]
    await live_events.drain()
    moved = (await alice.post(f"{c['url']}/move", json={"position": 0})).json()
    events = await live_events.drain()
    assert brief(events) == [
        ("todo", "updated", c["id"], 2),
        ("todo", "updated", a["id"], 2),
        ("todo", "updated", b["id"], 2),
    ]
    assert events[0]["data"] == moved
    assert events[1]["data"] == {"id": a["id"], "partial": True, "list_id": None, "order": 1}
    assert events[2]["data"] == {"id": b["id"], "partial": True, "list_id": None, "order": 2}


async def test_creating_at_a_position_and_deleting_renumber_with_events(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    a = await new_todo(alice, "a")
    await live_events.drain()
    first = await new_todo(alice, "first", order=0)
    await alice.delete(first["url"])
    events = await live_events.drain()
    assert brief(events) == [
        ("todo", "created", first["id"], 1),
        ("todo", "updated", a["id"], 2),
        ("todo", "deleted", first["id"], 2),
        ("todo", "updated", a["id"], 3),
    ]
    assert events[3]["data"] == {"id": a["id"], "partial": True, "list_id": None, "order": 0}


async def test_bulk_delete_sends_one_event_per_todo(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    done = [await new_todo(alice, f"d{i}", completed=True) for i in range(3)]
    keep = await new_todo(alice, "keep")
    await live_events.drain()
    await alice.delete("/api/todos", params={"completed": "true"})
    events = await live_events.drain()
    deleted = [e for e in events if e["action"] == "deleted"]
    assert sorted(e["id"] for e in deleted) == sorted(t["id"] for t in done)
    assert all(e["version"] == 2 and e["data"] is None for e in deleted)
    assert brief(events[3:]) == [("todo", "updated", keep["id"], 2)]  # now at position 0


async def test_list_events_and_todos_moved_to_the_inbox(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    work = await new_list(alice, "Work")
    renamed = (await alice.patch(f"/api/lists/{work['id']}", json={"name": "Job"})).json()
    todo = await new_todo(alice, "w", list_id=work["id"])
    events = await live_events.drain()
    assert brief(events) == [
        ("list", "created", work["id"], None),
        ("list", "updated", work["id"], None),
        ("todo", "created", todo["id"], 1),
    ]
    assert events[0]["data"] == work and events[1]["data"] == renamed
    await alice.delete(f"/api/lists/{work['id']}")
    events = await live_events.drain()
    assert brief(events) == [
        ("todo", "updated", todo["id"], 2),
        ("list", "deleted", work["id"], None),
    ]
    assert events[0]["data"] == {"id": todo["id"], "partial": True, "list_id": None, "order": 0}
    assert events[1]["data"] == {"id": work["id"], "todos_moved": 1, "todos_deleted": 0}


async def test_list_deleted_with_its_todos(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    work = await new_list(alice, "Work")
    todos = [await new_todo(alice, t, list_id=work["id"]) for t in "ab"]
    await live_events.drain()
    await alice.delete(f"/api/lists/{work['id']}", params={"todos": "delete"})
    events = await live_events.drain()
    assert brief(events) == [
        ("todo", "deleted", todos[0]["id"], 2),
        ("todo", "deleted", todos[1]["id"], 2),
        ("list", "deleted", work["id"], None),
    ]


async def test_tag_events_and_their_todos(
    backend: str, alice: httpx.AsyncClient, live_events: EventLog
) -> None:
    todo = await new_todo(alice, "t", tags=["work", "x"])
    work = next(t for t in (await alice.get("/api/tags")).json()["data"] if t["name"] == "work")
    await live_events.drain()
    renamed = (await alice.patch(f"/api/tags/{work['id']}", json={"name": "job"})).json()
    await alice.delete(f"/api/tags/{work['id']}")
    events = await live_events.drain()
    assert brief(events) == [
        ("tag", "updated", work["id"], None),
        ("todo", "updated", todo["id"], 2),
        ("tag", "deleted", work["id"], None),
        ("todo", "updated", todo["id"], 3),
    ]
    assert events[0]["data"] == renamed
    assert events[1]["data"] == {"id": todo["id"], "partial": True, "tags": ["job", "x"]}
    assert events[3]["data"] == {"id": todo["id"], "partial": True, "tags": ["x"]}
    created = (await alice.post("/api/tags", json={"name": "new"})).json()
    [event] = await live_events.drain()
    assert brief([event]) == [("tag", "created", created["id"], None)]
    assert event["data"] == created
