"""Tags: CRUD, names (trimmed, case-insensitive, no commas), on-the-fly creation, removal."""

from __future__ import annotations

import asyncio

import httpx

from tests.api.conftest import new_todo, todos_of


async def test_create_get_list_patch_delete(backend: str, alice: httpx.AsyncClient) -> None:
    r = await alice.post("/api/tags", json={"name": " work ", "color": "#FF0000"})
    assert r.status_code == 201, r.text
    work = r.json()
    assert work == {"id": work["id"], "name": "work", "color": "#ff0000", "todo_count": 0}
    assert (await alice.get(f"/api/tags/{work['id']}")).json() == work
    await alice.post("/api/tags", json={"name": "Errands"})
    listed = (await alice.get("/api/tags")).json()
    assert listed["count"] == 2
    assert [t["name"] for t in listed["data"]] == ["Errands", "work"]  # by name, any case
    assert listed["data"][0]["color"] == "#64748b"
    r = await alice.patch(f"/api/tags/{work['id']}", json={"color": "#00ff00"})
    assert r.json() == {**work, "color": "#00ff00"}
    assert (await alice.delete(f"/api/tags/{work['id']}")).status_code == 204
    assert (await alice.get(f"/api/tags/{work['id']}")).status_code == 404


async def test_names_are_unique_ignoring_case(backend: str, alice: httpx.AsyncClient) -> None:
    work = (await alice.post("/api/tags", json={"name": "Work"})).json()
    r = await alice.post("/api/tags", json={"name": " WORK"})
    assert r.status_code == 409 and "ignore case" in r.json()["detail"]
    other = (await alice.post("/api/tags", json={"name": "other"})).json()
    r = await alice.patch(f"/api/tags/{other['id']}", json={"name": "work"})
    assert r.status_code == 409
    r = await alice.patch(f"/api/tags/{work['id']}", json={"name": "WORK"})  # its own name
    assert r.status_code == 200 and r.json()["name"] == "WORK"


async def test_name_rules(backend: str, alice: httpx.AsyncClient) -> None:
    for name in ("", "   ", "a,b", "x" * 41):
        r = await alice.post("/api/tags", json={"name": name})
        assert r.status_code == 422, name
        assert r.json()["detail"][0]["loc"] == ["body", "name"]
        r = await alice.post("/api/todos", json={"title": "t", "tags": [name]})
        assert r.status_code == 422, name
        assert r.json()["detail"][0]["loc"] == ["body", "tags", 0]
    assert (await alice.post("/api/tags", json={"name": "x" * 40})).status_code == 201
    assert (await alice.get("/api/todos")).json()["count"] == 0


async def test_todos_create_unknown_tags_and_reuse_known_ones(
    backend: str, alice: httpx.AsyncClient
) -> None:
    urgent = (await alice.post("/api/tags", json={"name": "Urgent"})).json()
    first = await new_todo(alice, "a", tags=["urgent", "work"])
    assert first["tags"] == ["Urgent", "work"]
    second = await new_todo(alice, "b", tags=["WORK", "home"])
    assert second["tags"] == ["home", "work"]
    tags = {t["name"]: t for t in (await alice.get("/api/tags")).json()["data"]}
    assert set(tags) == {"Urgent", "work", "home"}
    assert tags["Urgent"]["id"] == urgent["id"]
    assert {n: t["todo_count"] for n, t in tags.items()} == {"Urgent": 1, "work": 2, "home": 1}
    r = await alice.patch(first["url"], json={"tags": ["home"]})
    assert r.json()["tags"] == ["home"] and r.json()["version"] == 2
    r = await alice.patch(first["url"], json={"tags": []})
    assert r.json()["tags"] == []
    assert (await alice.get(f"/api/tags/{urgent['id']}")).json()["todo_count"] == 0


async def test_renaming_and_deleting_a_tag_updates_its_todos(
    backend: str, alice: httpx.AsyncClient
) -> None:
    a = await new_todo(alice, "a", tags=["work", "x"])
    b = await new_todo(alice, "b", tags=["work"])
    c = await new_todo(alice, "c", tags=["x"])
    work = next(t for t in (await alice.get("/api/tags")).json()["data"] if t["name"] == "work")
    await alice.patch(f"/api/tags/{work['id']}", json={"name": "job"})
    after = {t["title"]: t for t in await todos_of(alice)}
    assert after["a"]["tags"] == ["job", "x"] and after["b"]["tags"] == ["job"]
    assert after["a"]["version"] == a["version"] + 1 and after["c"]["version"] == c["version"]
    assert (await alice.delete(f"/api/tags/{work['id']}")).status_code == 204
    after = {t["title"]: t for t in await todos_of(alice)}
    assert after["a"]["tags"] == ["x"] and after["b"]["tags"] == []
    assert after["b"]["version"] == b["version"] + 2
    assert await todos_of(alice, tag="job") == []


async def test_another_users_tags_are_404_and_separate(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    await new_todo(alice, "a", tags=["secret"])
    secret = (await alice.get("/api/tags")).json()["data"][0]
    path = f"/api/tags/{secret['id']}"
    assert (await bob.get(path)).status_code == 404
    assert (await bob.patch(path, json={"name": "mine"})).status_code == 404
    assert (await bob.delete(path)).status_code == 404
    assert (await bob.get("/api/tags")).json() == {"data": [], "count": 0}
    mine = await new_todo(bob, "b", tags=["secret"])  # bob's own tag of that name
    assert mine["tags"] == ["secret"]
    bobs = (await bob.get("/api/tags")).json()["data"]
    assert [t["id"] for t in bobs] != [secret["id"]]
    assert (await alice.get(path)).json()["todo_count"] == 1


async def test_deleting_a_tag_while_todos_take_it(backend: str, alice: httpx.AsyncClient) -> None:
    hot = (await alice.post("/api/tags", json={"name": "hot"})).json()
    calls = [alice.post("/api/todos", json={"title": f"t{i}", "tags": ["hot"]}) for i in range(6)]
    calls.insert(3, alice.delete(f"/api/tags/{hot['id']}"))
    answers = await asyncio.gather(*calls)
    assert all(r.status_code in (201, 204) for r in answers), [r.text for r in answers]
    tags = {t["name"]: t["todo_count"] for t in (await alice.get("/api/tags")).json()["data"]}
    carried = [name for todo in await todos_of(alice) for name in todo["tags"]]
    assert len(carried) == sum(tags.values())  # every link is to a tag that exists
    assert set(carried) <= set(tags)
