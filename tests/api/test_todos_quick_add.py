"""Quick add: the one parser of "Title #tag !high due:tomorrow", and its endpoint."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from app.services.todos.quick_add import parse
from tests.api.conftest import new_list

TODAY = date(2024, 5, 30)


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            "Buy milk #home #errands !high due:tomorrow",
            {
                "title": "Buy milk",
                "tags": ["home", "errands"],
                "priority": "high",
                "due": date(2024, 5, 31),
            },
        ),
        ("  Call   Bob #  about due:someday ", {"title": "Call Bob # about due:someday"}),
        ("Pay rent due:TODAY !L", {"title": "Pay rent", "priority": "low", "due": TODAY}),
        ("Review #a #a #A", {"title": "Review", "tags": ["a", "A"]}),
        ("Plan !m !h", {"title": "Plan", "priority": "high"}),  # the last one wins
        ("Trip Due:2024-07-01", {"title": "Trip", "due": date(2024, 7, 1)}),
        ("Trip due:2024-02-30 #x,y !urgent", {"title": "Trip due:2024-02-30 #x,y !urgent"}),
        ("!med #only", {"title": "", "tags": ["only"], "priority": "medium"}),
    ],
)
def test_parse(text: str, fields: dict[str, object]) -> None:
    assert parse(text, TODAY) == fields


async def test_quick_add_creates_the_todo_it_describes(
    backend: str, alice: httpx.AsyncClient
) -> None:
    work = await new_list(alice, "Work")
    r = await alice.post(
        "/api/todos/quick-add",
        json={
            "text": "Ship it #release !h due:tomorrow",
            "list_id": work["id"],
            "today": "2024-12-31",
        },
    )
    assert r.status_code == 201, r.text
    todo = r.json()
    assert r.headers["location"] == todo["url"]
    assert (todo["title"], todo["tags"], todo["priority"], todo["due"], todo["list_id"]) == (
        "Ship it",
        ["release"],
        "high",
        "2025-01-01",
        work["id"],
    )


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"text": "#tag !high"}, "text", "give a title"),
        ({"text": f"Title #{'x' * 41}"}, "text", "tags.0"),
        ({"text": ""}, "text", "at least 1 character"),
        ({"text": "ok", "today": "tomorrow"}, "today", "valid date"),
        ({"text": "ok", "list_id": 999999}, "list_id", "not found"),
    ],
)
async def test_quick_add_refuses_what_makes_no_todo(
    backend: str, alice: httpx.AsyncClient, body: dict[str, object], field: str, reason: str
) -> None:
    r = await alice.post("/api/todos/quick-add", json=body)
    assert r.status_code == 422, r.text
    (error,) = r.json()["detail"]
    assert error["loc"][-1] == field and reason in error["msg"], error
    assert (await alice.get("/api/todos")).json()["count"] == 0
