"""How fast is `GET /api/todos` with 1,000 todos, against raw SQL + JSON?

    .venv/bin/python -m bench.todos_list [--rounds 200]

Creates and migrates a private PostgreSQL database, gives a `bench` user 1,000 todos (6 lists
and the Inbox, 0-3 of 8 tags each, written in bulk), then times the same requests three
ways, sequentially, `--rounds` times each:

- the real app in-process, over httpx's ASGITransport;
- the real app as `workspace serve` runs it (a child process) on loopback, over HTTP;
- the reference: the query the app runs (the page, its total count, each todo's tag names)
  through asyncpg, plus building and JSON-encoding the same objects.

The app also authenticates every request (one token lookup), which the reference skips.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import asyncpg
import httpx

from app.core.config import Settings
from app.core.time import utcnow
from app.main import create_app
from app.models.tag import TodoTag
from app.models.todo import Todo, TodoCreate
from app.models.todo_list import TodoList
from app.models.user import ApiTokenCreate
from app.services.accounts import tokens, users
from app.services.todos import tags as tag_service
from app.services.todos.todos import due_columns, search_text
from bench._stack import bench_settings
from bench._stats import median, percentile
from tests.support.processes import free_port, running_api

WARMUP = 15
TODOS = 1000
USERNAME = "bench"
PASSWORD = "bench-password-1"
SEARCH = "invoice"  # in about one title or note out of ten
TAGS = ["work", "urgent", "home", "waiting", "call", "email", "deep", "5min"]

SCENARIOS: dict[str, dict[str, Any]] = {
    "limit=50": {"limit": 50},
    "limit=200": {"limit": 200},
    f"q={SEARCH}": {"q": SEARCH, "limit": 50},
}


async def seed(app_state: Any) -> str:
    """A fresh `bench` user with 1,000 todos, written with the services' own helpers (search
    text, due columns, tags) in bulk: the rows the API would write, in seconds. Its token."""
    rng = random.Random(1000)
    async with app_state.sessionmaker() as db:
        user = await users.create_user(db, USERNAME, PASSWORD)
        assert user.id is not None
        token = (await tokens.issue(db, user, ApiTokenCreate(name="bench"))).token
        names = ("Work", "Home", "Errands", "Reading", "Side project", "Someday")
        lists = [TodoList(user_id=user.id, name=name) for name in names]
        db.add_all(lists)
        await db.flush()
        list_ids = [None, *(todo_list.id for todo_list in lists)]
        tags, _ = await tag_service.resolve(db, user.id, TAGS)
        tag_ids = {tag.name: tag.id or 0 for tag in tags}
        sizes: dict[int | None, int] = {}
        todos, tagged = [], []
        for i in range(TODOS):
            body = TodoCreate.model_validate(fake_todo(rng, i))
            list_id = rng.choice(list_ids)
            due_at, all_day = due_columns(body.due)
            sizes[list_id] = sizes.get(list_id, -1) + 1
            todos.append(
                Todo(
                    user_id=user.id,
                    list_id=list_id,
                    title=body.title,
                    notes=body.notes,
                    search_text=search_text(body.title, body.notes),
                    completed=body.completed,
                    completed_at=utcnow() if body.completed else None,
                    due_at=due_at,
                    due_all_day=all_day,
                    priority=body.priority.value,
                    order=sizes[list_id],
                )
            )
            tagged.append(body.tags)
        db.add_all(todos)
        await db.flush()
        db.add_all(
            TodoTag(todo_id=todo.id or 0, tag_id=tag_ids[name])
            for todo, names in zip(todos, tagged, strict=True)
            for name in names
        )
        await db.commit()
        return token


def fake_todo(rng: random.Random, i: int) -> dict[str, Any]:
    words = ["plan", "write", "review", "fix", "call", "buy", "read", "check", "send"]
    title = f"{rng.choice(words).title()} {rng.choice(words)} #{i}"
    notes = " ".join(rng.choice(words) for _ in range(rng.randrange(0, 40)))
    if i % 10 == 3:
        title, notes = f"Pay invoice {i}", notes + " Invoice attached."
    body: dict[str, Any] = {
        "title": title,
        "notes": notes,
        "priority": rng.choice(["none", "low", "medium", "high"]),
        "tags": rng.sample(TAGS, rng.randrange(0, 4)),
        "completed": rng.random() < 0.3,
    }
    if rng.random() < 0.5:
        body["due"] = f"2026-12-{rng.randrange(1, 29):02d}"
    elif rng.random() < 0.3:
        body["due"] = f"2026-12-{rng.randrange(1, 29):02d}T{rng.randrange(0, 24):02d}:30:00Z"
    return body


# ---------------------------------------------------------------- the reference

PAGE_SQL = """
SELECT id, list_id, title, notes, completed, completed_at, due_at, due_all_day, priority,
       "order", version, created_at, updated_at, count(*) OVER () AS total,
       (SELECT string_agg(tags.name, ',') FROM todo_tags JOIN tags ON tags.id = todo_tags.tag_id
        WHERE todo_tags.todo_id = todos.id) AS tag_names
FROM todos
WHERE user_id = $1 {search}
ORDER BY list_id ASC NULLS FIRST, "order" ASC, id ASC
LIMIT $2 OFFSET 0
"""


def _iso(moment: Any) -> Any:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def _tags(joined: str | None) -> list[str]:
    return sorted(joined.split(","), key=lambda n: (n.casefold(), n)) if joined else []


async def raw_page(conn: Any, user_id: int, params: dict[str, Any]) -> bytes:
    if "q" in params:
        sql = PAGE_SQL.format(search="AND search_text LIKE '%' || $3 || '%'")
        rows = await conn.fetch(sql, user_id, params["limit"], params["q"].casefold())
    else:
        rows = await conn.fetch(PAGE_SQL.format(search=""), user_id, params["limit"])
    data = [
        {
            "id": row["id"],
            "list_id": row["list_id"],
            "title": row["title"],
            "notes": row["notes"],
            "completed": row["completed"],
            "completed_at": _iso(row["completed_at"]),
            "due": row["due_at"].date().isoformat() if row["due_all_day"] else _iso(row["due_at"]),
            "priority": row["priority"],
            "tags": _tags(row["tag_names"]),
            "order": row["order"],
            "version": row["version"],
            "created_at": _iso(row["created_at"]),
            "updated_at": _iso(row["updated_at"]),
            "url": f"http://127.0.0.1/api/todos/{row['id']}",
        }
        for row in rows
    ]
    count = rows[0]["total"] if rows else 0
    return json.dumps({"data": data, "count": count}, separators=(",", ":")).encode()


# ---------------------------------------------------------------- timing


async def timed(call: Callable[[], Awaitable[Any]], rounds: int) -> list[float]:
    for _ in range(WARMUP):
        await call()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    return median(samples), percentile(samples, 95)


async def through_http(
    client: httpx.AsyncClient, params: dict[str, Any], rounds: int
) -> list[float]:
    """Checked once, then timed without parsing (the reference does not parse either)."""
    first = await client.get("/api/todos", params=params)
    assert first.status_code == 200 and first.json()["count"] > 0, first.text

    async def call() -> None:
        assert (await client.get("/api/todos", params=params)).status_code == 200

    return await timed(call, rounds)


async def run(rounds: int) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {name: {} for name in SCENARIOS}
    async with bench_settings("todos") as settings:
        token, user_id = await in_process(settings, rounds, results)
        conn = await asyncpg.connect(settings.database_url)
        try:
            for name, params in SCENARIOS.items():
                page = partial(raw_page, conn, user_id, params)
                results[name]["raw"] = await timed(page, rounds)
        finally:
            await conn.close()
        port = free_port()
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            running_api(settings, port),
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers) as client,
        ):
            for name, params in SCENARIOS.items():
                results[name]["uvicorn"] = await through_http(client, params, rounds)
    return results


async def in_process(
    settings: Settings, rounds: int, results: dict[str, dict[str, list[float]]]
) -> tuple[str, int]:
    """Seed the todos through the app's own services, then time it over ASGI: the token
    and the user's id."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        started = time.perf_counter()
        token = await seed(app.state)
        print(f"seeded {TODOS} todos in {time.perf_counter() - started:.1f}s")
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=headers
        ) as client:
            user_id = int((await client.get("/api/me")).json()["id"])
            for name, params in SCENARIOS.items():
                results[name]["asgi"] = await through_http(client, params, rounds)
    return token, user_id


def report(results: dict[str, dict[str, list[float]]], rounds: int) -> None:
    print(f"\nGET /api/todos, {TODOS} todos, {rounds} sequential requests each (ms)")
    header = f"{'':<14}{'asgi med/p95':>16}{'uvicorn med/p95':>18}{'raw med/p95':>16}"
    print(header + f"{'asgi/raw':>10}{'uvicorn/raw':>13}")
    for name, runs in results.items():
        asgi, uvi, raw = (summary(runs[k]) for k in ("asgi", "uvicorn", "raw"))
        cells = "".join(f"{m:>9.2f}/{p:<6.2f}" for m, p in (asgi, uvi, raw))
        print(f"{name:<14}{cells}{asgi[0] / raw[0]:>9.1f}x{uvi[0] / raw[0]:>12.1f}x")
    print("ratios are of medians; the app also authenticates each request (the raw path not)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="timed requests per way")
    args = parser.parse_args()
    if not 10 <= args.rounds <= 5000:
        parser.error("--rounds takes 10 to 5000")
    report(asyncio.run(run(args.rounds)), args.rounds)


if __name__ == "__main__":
    main()
