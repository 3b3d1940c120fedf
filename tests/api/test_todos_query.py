"""GET /api/todos filters, sorts and pages, and the bulk DELETE /api/todos."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.api.conftest import new_list, new_todo, titles, todos_of


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def test_filter_by_list_and_inbox(backend: str, alice: httpx.AsyncClient) -> None:
    work = await new_list(alice, "Work")
    home = await new_list(alice, "Home")
    await new_todo(alice, "w1", list_id=work["id"])
    await new_todo(alice, "h1", list_id=home["id"])
    await new_todo(alice, "i1")
    await new_todo(alice, "w2", list_id=work["id"])
    assert await titles(alice, list_id=work["id"]) == ["w1", "w2"]
    assert await titles(alice, list_id="inbox") == ["i1"]
    assert await titles(alice, list_id=home["id"]) == ["h1"]
    assert await titles(alice) == ["i1", "w1", "w2", "h1"]  # the Inbox first, then by list


async def test_filter_completed_and_tags_all_must_match(
    backend: str, alice: httpx.AsyncClient
) -> None:
    await new_todo(alice, "a", tags=["work", "urgent"])
    await new_todo(alice, "b", tags=["work"], completed=True)
    await new_todo(alice, "c", tags=["URGENT"])
    await new_todo(alice, "d")
    assert await titles(alice, completed="true") == ["b"]
    assert await titles(alice, completed="false") == ["a", "c", "d"]
    assert await titles(alice, tag="work") == ["a", "b"]
    assert await titles(alice, tag=["work", "Urgent"]) == ["a"]
    assert await titles(alice, tag=["urgent"], completed="false") == ["a", "c"]
    assert await titles(alice, tag="nonexistent") == []


async def test_due_bounds_with_dates_and_datetimes(backend: str, alice: httpx.AsyncClient) -> None:
    await new_todo(alice, "nov30", due="2026-11-30")
    await new_todo(alice, "dec1-day", due="2026-12-01")
    await new_todo(alice, "dec1-9h", due="2026-12-01T09:00:00Z")
    await new_todo(alice, "dec2-day", due="2026-12-02")
    await new_todo(alice, "no-due")
    # A date bound covers its whole day; bounds are inclusive.
    assert await titles(alice, due_before="2026-12-01") == ["nov30", "dec1-day", "dec1-9h"]
    assert await titles(alice, due_after="2026-12-01") == ["dec1-day", "dec1-9h", "dec2-day"]
    assert await titles(alice, due_after="2026-12-01", due_before="2026-12-01") == [
        "dec1-day",
        "dec1-9h",
    ]
    # A datetime bound is an instant (an all-day due counts from the start of its day, UTC).
    assert await titles(alice, due_before="2026-12-01T08:00:00Z") == ["nov30", "dec1-day"]
    assert await titles(alice, due_after="2026-12-01T10:00:00+01:00") == ["dec1-9h", "dec2-day"]


async def test_overdue(backend: str, alice: httpx.AsyncClient) -> None:
    now = datetime.now(UTC)
    today = now.date().isoformat()
    yesterday = (now.date() - timedelta(days=1)).isoformat()
    await new_todo(alice, "past-moment", due=_iso(now - timedelta(minutes=5)))
    await new_todo(alice, "yesterday", due=yesterday)
    await new_todo(alice, "today", due=today)  # not overdue before its day ends
    await new_todo(alice, "future", due=_iso(now + timedelta(hours=2)))
    await new_todo(alice, "done-late", due=yesterday, completed=True)
    await new_todo(alice, "no-due")
    assert await titles(alice, overdue="true") == ["past-moment", "yesterday"]
    assert await titles(alice, overdue="false") == ["today", "future", "done-late", "no-due"]


async def test_search_is_case_insensitive_over_title_and_notes(
    backend: str, alice: httpx.AsyncClient
) -> None:
    await new_todo(alice, "Buy MILK")
    await new_todo(alice, "Call", notes="about the milkman")
    await new_todo(alice, "Über alles", notes="Straße")
    await new_todo(alice, "100% done", notes="under_score")
    await new_todo(alice, "other")
    assert await titles(alice, q="milk") == ["Buy MILK", "Call"]
    assert await titles(alice, q="  MiLk ") == ["Buy MILK", "Call"]
    assert await titles(alice, q="über") == ["Über alles"]  # Unicode, on SQLite too
    assert await titles(alice, q="STRASSE") == ["Über alles"]
    assert await titles(alice, q="%") == ["100% done"]  # LIKE wildcards are literal
    assert await titles(alice, q="_") == ["100% done"]
    assert await titles(alice, q="") == ["Buy MILK", "Call", "Über alles", "100% done", "other"]
    renamed = (await todos_of(alice, q="other"))[0]
    await alice.patch(renamed["url"], json={"title": "renamed", "notes": "needle"})
    assert await titles(alice, q="needle") == ["renamed"]
    assert await titles(alice, q="other") == []


async def test_sorts_with_stable_tie_break(backend: str, alice: httpx.AsyncClient) -> None:
    await new_todo(alice, "b", priority="high", due="2026-12-03")
    await new_todo(alice, "C", priority="low")
    await new_todo(alice, "a", priority="high", due="2026-12-01T10:00:00Z")
    await new_todo(alice, "d", priority="medium", due="2026-12-02")
    await new_todo(alice, "e", priority="none")
    assert await titles(alice) == ["b", "C", "a", "d", "e"]  # default: order
    assert await titles(alice, sort="-order") == ["e", "d", "a", "C", "b"]
    assert await titles(alice, sort="title") == ["a", "b", "C", "d", "e"]
    assert await titles(alice, sort="-title") == ["e", "d", "C", "b", "a"]
    assert await titles(alice, sort="due") == ["a", "d", "b", "C", "e"]  # no due: last
    # Still last; ties go by id in the direction of the sort.
    assert await titles(alice, sort="-due") == ["b", "d", "a", "e", "C"]
    assert await titles(alice, sort="priority") == ["e", "C", "d", "b", "a"]
    assert await titles(alice, sort="-priority") == ["a", "b", "d", "C", "e"]
    assert await titles(alice, sort="created_at") == ["b", "C", "a", "d", "e"]
    assert await titles(alice, sort="-created_at") == ["e", "d", "a", "C", "b"]
    first = (await todos_of(alice, q="C"))[0]
    await alice.patch(first["url"], json={"notes": "touched"})
    assert (await titles(alice, sort="-updated_at"))[0] == "C"


async def test_pages_count_everything_matching(backend: str, alice: httpx.AsyncClient) -> None:
    for i in range(7):
        await new_todo(alice, f"t{i}", completed=i % 2 == 0)
    r = await alice.get("/api/todos", params={"limit": 3})
    assert r.json()["count"] == 7 and [t["title"] for t in r.json()["data"]] == ["t0", "t1", "t2"]
    r = await alice.get("/api/todos", params={"limit": 3, "offset": 6})
    assert r.json()["count"] == 7 and [t["title"] for t in r.json()["data"]] == ["t6"]
    r = await alice.get("/api/todos", params={"limit": 3, "offset": 50})
    assert r.json() == {"data": [], "count": 7}
    r = await alice.get("/api/todos", params={"completed": "true", "limit": 2, "offset": 2})
    assert r.json()["count"] == 4 and [t["title"] for t in r.json()["data"]] == ["t4", "t6"]
    r = await alice.get("/api/todos")
    assert len(r.json()["data"]) == 7  # default limit 50
    pages = []
    for offset in range(0, 7, 2):
        r = await alice.get(
            "/api/todos", params={"sort": "-priority", "limit": 2, "offset": offset}
        )
        pages += [t["id"] for t in r.json()["data"]]
    assert len(pages) == len(set(pages)) == 7  # ties never repeat nor skip across pages


async def test_bulk_delete_by_filter_and_clear_completed(
    backend: str, alice: httpx.AsyncClient
) -> None:
    work = await new_list(alice, "Work")
    for i in range(5):
        await new_todo(alice, f"w{i}", list_id=work["id"], completed=i in (1, 3))
    await new_todo(alice, "inbox-done", completed=True)
    await new_todo(alice, "keep", tags=["x"])
    r = await alice.delete("/api/todos", params={"completed": "true"})
    assert r.status_code == 200 and r.json() == {"deleted": 3}
    remaining = await todos_of(alice, list_id=work["id"])
    assert [(t["title"], t["order"]) for t in remaining] == [("w0", 0), ("w2", 1), ("w4", 2)]
    r = await alice.delete("/api/todos", params={"tag": "x"})
    assert r.json() == {"deleted": 1}
    r = await alice.delete("/api/todos", params={"list_id": work["id"], "q": "w2"})
    assert r.json() == {"deleted": 1}
    assert await titles(alice) == ["w0", "w4"]


async def test_bulk_delete_without_a_filter_is_refused(
    backend: str, alice: httpx.AsyncClient
) -> None:
    await new_todo(alice, "precious")
    for params in ({}, {"q": ""}, {"q": "   "}):
        r = await alice.delete("/api/todos", params=params)
        assert r.status_code == 422, params
        assert "at least one filter" in r.json()["detail"][0]["msg"]
    for extra in ({"limit": "10"}, {"sort": "title"}, {"complted": "true"}):
        r = await alice.delete("/api/todos", params=extra)  # not filters: refused too
        assert r.status_code == 422, extra
    assert await titles(alice) == ["precious"]


async def test_bulk_delete_by_another_user_leaves_alices_todos(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    await new_todo(alice, "a1", completed=True)
    await new_todo(alice, "a2")
    await new_todo(bob, "b1", completed=True)
    for params in ({"completed": "true"}, {"completed": "false"}, {"list_id": "inbox"}):
        await bob.delete("/api/todos", params=params)
    assert await titles(bob) == []
    assert await titles(alice) == ["a1", "a2"]
