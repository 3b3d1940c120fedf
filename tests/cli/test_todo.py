"""workspace todo: add (the api's quick-add syntax), ls with filters, done, edit, mv, rm, clear."""

from __future__ import annotations

import json
from datetime import date, timedelta

import httpx

from tests.support.cli import Cli
from tests.support.stack import Stack


def ids(out: str) -> list[int]:
    return [int(line.split("\t")[0]) for line in out.splitlines()]


async def test_every_todo_command(stack: Stack, alice: Cli) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    out = await alice.ok("todo", "add", "Buy milk #home !high due:tomorrow")
    assert out.startswith("added ") and out.strip().endswith(": Buy milk")
    added = json.loads(await alice.ok("todo", "add", "Write", "the report", "#work", "--json"))
    assert (added["title"], added["tags"]) == ("Write the report", ["work"])

    # Plain rows off a terminal: tab-separated, no header, no colour.
    rows = (await alice.ok("todo", "ls")).splitlines()
    assert rows[0].split("\t")[1:] == ["Buy milk", tomorrow, "high", "#home", ""]
    assert "\x1b" not in "".join(rows) and len(rows) == 2

    page = json.loads(await alice.ok("todo", "ls", "--json"))
    assert page["count"] == 2 and [t["title"] for t in page["data"]] == [
        "Buy milk",
        "Write the report",
    ]
    milk, report = page["data"][0]["id"], added["id"]
    assert ids(await alice.ok("todo", "ls", "--tag", "work")) == [report]
    assert ids(await alice.ok("todo", "ls", "-q", "MILK")) == [milk]
    assert ids(await alice.ok("todo", "ls", "--due-before", tomorrow)) == [milk]
    assert ids(await alice.ok("todo", "ls", "--sort", "-title")) == [report, milk]
    assert ids(await alice.ok("todo", "ls", "--limit", "1", "--offset", "1")) == [report]

    await alice.ok("todo", "done", str(milk))
    assert ids(await alice.ok("todo", "ls", "--done")) == [milk]
    assert ids(await alice.ok("todo", "ls", "--open")) == [report]
    await alice.ok("todo", "done", "--undo", str(milk))
    assert ids(await alice.ok("todo", "ls", "--open")) == [milk, report]

    edited = json.loads(
        await alice.ok(
            "todo", "edit", str(report), "--title", "Send the report", "--due", "2020-01-01",
            "--priority", "low", "--tag", "work", "--tag", "urgent", "--json",
        )
    )  # fmt: skip
    assert (edited["title"], edited["due"], edited["priority"]) == (
        "Send the report",
        "2020-01-01",
        "low",
    )
    assert edited["tags"] == ["urgent", "work"]
    assert ids(await alice.ok("todo", "ls", "--overdue")) == [report]
    cleared = json.loads(
        await alice.ok("todo", "edit", str(report), "--due", "none", "--no-tags", "--json")
    )
    assert (cleared["due"], cleared["tags"]) == (None, [])

    # mv: to another list (at its end), or to a position.
    api: httpx.AsyncClient = stack.clients[0]
    errands = (await api.post("/api/lists", json={"name": "Errands"})).json()
    moved = json.loads(await alice.ok("todo", "mv", str(milk), "--list", "errands", "--json"))
    assert moved["list_id"] == errands["id"]
    assert ids(await alice.ok("todo", "ls", "--list", "Errands")) == [milk]
    assert ids(await alice.ok("todo", "ls", "--list", "inbox")) == [report]
    back = json.loads(
        await alice.ok("todo", "mv", str(milk), "--list", "inbox", "-p", "0", "--json")
    )
    assert (back["list_id"], back["order"]) == (None, 0)
    assert ids(await alice.ok("todo", "ls")) == [milk, report]

    third = json.loads(await alice.ok("todo", "add", "Call Bob", "--list", "Errands", "--json"))
    assert third["list_id"] == errands["id"]
    await alice.ok("todo", "done", str(milk), str(third["id"]))
    assert (await alice.ok("todo", "clear", "--list", "Errands")).strip() == "cleared 1"
    assert (await alice.ok("todo", "clear")).strip() == "cleared 1"
    assert ids(await alice.ok("todo", "ls")) == [report]
    assert (await alice.ok("todo", "rm", str(report))).strip() == "deleted 1"
    assert await alice.ok("todo", "ls") == ""


async def test_on_a_terminal_it_is_a_table(alice: Cli) -> None:
    await alice.ok("todo", "add", "Buy milk #home")
    code, screen = await alice.tty("todo", "ls")
    assert code == 0
    assert "title" in screen and "Buy milk" in screen and "#home" in screen
