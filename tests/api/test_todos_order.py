"""Positions: `order` stays 0..n-1 in every list after creates, moves, deletes, list changes."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict

import httpx

from tests.api.conftest import new_list, new_todo, todos_of

Lists = dict[int | None, list[int]]


async def arrangement(client: httpx.AsyncClient) -> Lists:
    """Each list's todo ids in `order` order, checking the orders are exactly 0..n-1."""
    found: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for todo in await todos_of(client):
        found[todo["list_id"]].append((todo["order"], todo["id"]))
    result: Lists = {}
    for list_id, pairs in found.items():
        pairs.sort()
        assert [order for order, _ in pairs] == list(range(len(pairs))), (list_id, pairs)
        result[list_id] = [todo_id for _, todo_id in pairs]
    return result


async def test_new_todos_go_to_the_end_or_to_their_order(
    backend: str, alice: httpx.AsyncClient
) -> None:
    a, b, c = [(await new_todo(alice, t))["id"] for t in "abc"]
    assert (await arrangement(alice))[None] == [a, b, c]
    d = (await new_todo(alice, "d", order=1))["id"]
    e = (await new_todo(alice, "e", order=0))["id"]
    f = (await new_todo(alice, "f", order=99))["id"]  # clamped to the end
    assert (await arrangement(alice))[None] == [e, a, d, b, c, f]


async def test_move_within_a_list(backend: str, alice: httpx.AsyncClient) -> None:
    ids = [(await new_todo(alice, t))["id"] for t in "abcde"]
    a, b, c, d, e = ids
    r = await alice.post(f"/api/todos/{d}/move", json={"position": 0})
    assert r.status_code == 200, r.text
    moved = r.json()
    assert moved["id"] == d and moved["order"] == 0 and moved["version"] == 2
    assert (await arrangement(alice))[None] == [d, a, b, c, e]
    await alice.post(f"/api/todos/{d}/move", json={"position": 3})
    assert (await arrangement(alice))[None] == [a, b, c, d, e]
    r = await alice.post(f"/api/todos/{a}/move", json={"position": 1000})
    assert r.json()["order"] == 4
    assert (await arrangement(alice))[None] == [b, c, d, e, a]
    same = await alice.post(f"/api/todos/{a}/move", json={"position": 4})
    assert same.json()["version"] == r.json()["version"]  # nothing moved: no new version


async def test_move_to_another_list_and_back(backend: str, alice: httpx.AsyncClient) -> None:
    work = (await new_list(alice, "Work"))["id"]
    a, b, c = [(await new_todo(alice, t))["id"] for t in "abc"]
    x, y = [(await new_todo(alice, t, list_id=work))["id"] for t in "xy"]
    r = await alice.post(f"/api/todos/{b}/move", json={"position": 1, "list_id": work})
    assert r.json()["list_id"] == work and r.json()["order"] == 1
    assert await arrangement(alice) == {None: [a, c], work: [x, b, y]}
    await alice.post(f"/api/todos/{x}/move", json={"position": 0, "list_id": None})
    assert await arrangement(alice) == {None: [x, a, c], work: [b, y]}


async def test_delete_and_list_changes_close_the_gaps(
    backend: str, alice: httpx.AsyncClient
) -> None:
    work = (await new_list(alice, "Work"))["id"]
    a, b, c, d = [(await new_todo(alice, t))["id"] for t in "abcd"]
    w = (await new_todo(alice, "w", list_id=work))["id"]
    await alice.delete(f"/api/todos/{b}")
    assert (await arrangement(alice))[None] == [a, c, d]
    r = await alice.patch(f"/api/todos/{a}", json={"list_id": work})
    assert r.json()["order"] == 1  # the end of its new list
    assert await arrangement(alice) == {None: [c, d], work: [w, a]}
    await alice.patch(f"/api/todos/{d}", json={"order": 0})
    assert (await arrangement(alice))[None] == [d, c]
    await alice.patch(f"/api/todos/{w}", json={"list_id": None, "order": 1})
    assert await arrangement(alice) == {None: [d, w, c], work: [a]}


async def test_deleting_a_list_appends_its_todos_to_the_inbox(
    backend: str, alice: httpx.AsyncClient
) -> None:
    work = (await new_list(alice, "Work"))["id"]
    a = (await new_todo(alice, "a"))["id"]
    x, y = [(await new_todo(alice, t, list_id=work))["id"] for t in "xy"]
    await alice.post(f"/api/todos/{y}/move", json={"position": 0})
    r = await alice.delete(f"/api/lists/{work}")
    assert r.json() == {"id": work, "todos_moved": 2, "todos_deleted": 0}
    assert await arrangement(alice) == {None: [a, y, x]}


async def test_random_operations_keep_orders_dense(backend: str, alice: httpx.AsyncClient) -> None:
    """Against a plain model of the lists: whatever happens, positions match it."""
    rng = random.Random(20261128)
    lists: list[int | None] = [None, *[(await new_list(alice, f"L{i}"))["id"] for i in range(2)]]
    model: Lists = {list_id: [] for list_id in lists}
    for step in range(60):
        ids = [todo_id for seq in model.values() for todo_id in seq]
        kind = rng.choice(
            ["create", "create", "move", "move", "patch", "delete"] if ids else ["create"]
        )
        target = rng.choice(lists)
        if kind == "create":
            position = rng.choice([None, 0, rng.randrange(0, 5)])
            extra = {} if position is None else {"order": position}
            todo = await new_todo(alice, f"s{step}", list_id=target, **extra)
            seq = model[target]
            seq.insert(len(seq) if position is None else min(position, len(seq)), todo["id"])
            continue
        todo_id = rng.choice(ids)
        source = next(k for k, seq in model.items() if todo_id in seq)
        if kind == "delete":
            assert (await alice.delete(f"/api/todos/{todo_id}")).status_code == 204
            model[source].remove(todo_id)
        elif kind == "move":
            position = rng.randrange(0, 6)
            r = await alice.post(
                f"/api/todos/{todo_id}/move", json={"position": position, "list_id": target}
            )
            assert r.status_code == 200, r.text
            model[source].remove(todo_id)
            model[target].insert(min(position, len(model[target])), todo_id)
        else:  # to the end of another list; to its own list: it stays where it is
            r = await alice.patch(f"/api/todos/{todo_id}", json={"list_id": target})
            assert r.status_code == 200, r.text
            if target != source:
                model[source].remove(todo_id)
                model[target].append(todo_id)
        expected = {k: v for k, v in model.items() if v}
        assert await arrangement(alice) == expected, (step, kind)


async def test_concurrent_moves_and_creates_stay_consistent(
    backend: str, alice: httpx.AsyncClient
) -> None:
    work = (await new_list(alice, "Work"))["id"]
    ids = [(await new_todo(alice, f"t{i}"))["id"] for i in range(8)]
    calls = [
        alice.post(f"/api/todos/{todo_id}/move", json={"position": i % 3, "list_id": work})
        for i, todo_id in enumerate(ids[:5])
    ]
    calls += [alice.post("/api/todos", json={"title": f"n{i}", "order": 0}) for i in range(4)]
    calls += [alice.delete(f"/api/todos/{ids[7]}")]
    answers = await asyncio.gather(*calls)
    assert all(r.status_code < 300 for r in answers), [r.text for r in answers]
    lists = await arrangement(alice)  # dense in every list
    assert sorted(len(seq) for seq in lists.values()) == [5, 6]
