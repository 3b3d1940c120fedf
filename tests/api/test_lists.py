"""Lists: CRUD, counts, unique names, deletion moving or deleting todos, ownership."""

from __future__ import annotations

import httpx

from tests.api.conftest import new_list, new_todo, titles


async def test_create_get_list_patch(backend: str, alice: httpx.AsyncClient) -> None:
    r = await alice.post("/api/lists", json={"name": "  Work  "})
    assert r.status_code == 201, r.text
    work = r.json()
    assert work["name"] == "Work" and work["color"] == "#6366f1"
    assert (work["todo_count"], work["open_count"]) == (0, 0)
    assert set(work) == {
        "id",
        "name",
        "color",
        "created_at",
        "updated_at",
        "todo_count",
        "open_count",
    }
    assert (await alice.get(f"/api/lists/{work['id']}")).json() == work
    home = await new_list(alice, "Home", color="#A1B2C3")
    assert home["color"] == "#a1b2c3"
    listed = (await alice.get("/api/lists")).json()
    assert listed["count"] == 2 and [x["name"] for x in listed["data"]] == ["Work", "Home"]
    r = await alice.patch(f"/api/lists/{home['id']}", json={"name": "House"})
    assert r.status_code == 200 and r.json()["name"] == "House"
    assert r.json()["color"] == "#a1b2c3" and r.json()["updated_at"] > home["updated_at"]
    r = await alice.patch(f"/api/lists/{home['id']}", json={"color": "#000000"})
    assert r.json()["name"] == "House" and r.json()["color"] == "#000000"


async def test_counts(backend: str, alice: httpx.AsyncClient) -> None:
    work = await new_list(alice, "Work")
    empty = await new_list(alice, "Empty")
    await new_todo(alice, "a", list_id=work["id"])
    await new_todo(alice, "b", list_id=work["id"], completed=True)
    await new_todo(alice, "c", list_id=work["id"])
    await new_todo(alice, "inbox")
    got = (await alice.get(f"/api/lists/{work['id']}")).json()
    assert (got["todo_count"], got["open_count"]) == (3, 2)
    listed = {x["name"]: x for x in (await alice.get("/api/lists")).json()["data"]}
    assert (listed["Work"]["todo_count"], listed["Work"]["open_count"]) == (3, 2)
    assert (listed["Empty"]["todo_count"], listed["Empty"]["open_count"]) == (0, 0)
    assert empty["id"] == listed["Empty"]["id"]


async def test_names_are_unique_per_user(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    work = await new_list(alice, "Work")
    home = await new_list(alice, "Home")
    r = await alice.post("/api/lists", json={"name": "Work "})
    assert r.status_code == 409 and r.json()["field"] == "name"
    r = await alice.patch(f"/api/lists/{home['id']}", json={"name": "Work"})
    assert r.status_code == 409
    assert (await alice.get(f"/api/lists/{home['id']}")).json()["name"] == "Home"
    r = await alice.patch(f"/api/lists/{work['id']}", json={"name": "Work"})  # its own name
    assert r.status_code == 200
    assert (await bob.post("/api/lists", json={"name": "Work"})).status_code == 201


async def test_delete_moves_todos_to_the_inbox_by_default(
    backend: str, alice: httpx.AsyncClient
) -> None:
    work = await new_list(alice, "Work")
    await new_todo(alice, "w1", list_id=work["id"])
    await new_todo(alice, "w2", list_id=work["id"], tags=["t"])
    await new_todo(alice, "i1")
    r = await alice.delete(f"/api/lists/{work['id']}")
    assert r.status_code == 200
    assert r.json() == {"id": work["id"], "todos_moved": 2, "todos_deleted": 0}
    assert (await alice.get(f"/api/lists/{work['id']}")).status_code == 404
    assert await titles(alice, list_id="inbox") == ["i1", "w1", "w2"]
    moved = (await alice.get("/api/todos", params={"q": "w2"})).json()["data"][0]
    assert moved["tags"] == ["t"] and moved["version"] == 2


async def test_delete_with_todos_delete(backend: str, alice: httpx.AsyncClient) -> None:
    work = await new_list(alice, "Work")
    await new_todo(alice, "w1", list_id=work["id"], tags=["t"])
    await new_todo(alice, "w2", list_id=work["id"])
    await new_todo(alice, "i1", tags=["t"])
    r = await alice.delete(f"/api/lists/{work['id']}", params={"todos": "delete"})
    assert r.json() == {"id": work["id"], "todos_moved": 0, "todos_deleted": 2}
    assert await titles(alice) == ["i1"]
    tags = (await alice.get("/api/tags")).json()["data"]
    assert [(t["name"], t["todo_count"]) for t in tags] == [("t", 1)]


async def test_delete_mode_is_validated(backend: str, alice: httpx.AsyncClient) -> None:
    work = await new_list(alice, "Work")
    await new_todo(alice, "w1", list_id=work["id"])
    r = await alice.delete(f"/api/lists/{work['id']}", params={"todos": "archive"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "todos"]
    assert await titles(alice, list_id=work["id"]) == ["w1"]


async def test_the_delete_modes_are_documented(backend: str, alice: httpx.AsyncClient) -> None:
    spec = (await alice.get("/openapi.json")).json()
    operation = spec["paths"]["/api/lists/{list_id}"]["delete"]
    assert "todos_moved" in operation["description"] and "`delete`" in operation["description"]
    [param] = [p for p in operation["parameters"] if p["name"] == "todos"]
    assert param["in"] == "query" and param["schema"]["default"] == "move"


async def test_another_users_lists_are_404_and_invisible(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    work = await new_list(alice, "Work")
    await new_todo(alice, "w1", list_id=work["id"])
    path = f"/api/lists/{work['id']}"
    assert (await bob.get(path)).status_code == 404
    assert (await bob.patch(path, json={"name": "Mine"})).status_code == 404
    assert (await bob.delete(path)).status_code == 404
    assert (await bob.delete(path, params={"todos": "delete"})).status_code == 404
    assert (await bob.get("/api/lists")).json() == {"data": [], "count": 0}
    after = (await alice.get(path)).json()
    assert after["name"] == "Work" and after["todo_count"] == 1
