"""Malformed requests over every endpoint: each answer is a 4xx that names what is wrong
(422: `detail[].loc`), never a 500, and the database is exactly as before.

Explicit cases cover auth, tokens, todos, lists and tags; a sweep over the OpenAPI schema
sends broken ids, bodies and query values to every operation there is (notebooks too).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlmodel import SQLModel

from tests.api.conftest import new_list, new_todo
from tests.support.fixtures import UserFactory

HUGE = "99999999999999"  # beyond PostgreSQL's INTEGER
NOT_JSON: dict[str, Any] = {
    "content": b'{"title": "x",',
    "headers": {"content-type": "application/json"},
}
FORM: dict[str, Any] = {"content": b"title=x", "headers": {"content-type": "text/plain"}}
ABSENT = object()


@dataclass(frozen=True)
class Bad:
    """A malformed request and what must be named in the answer."""

    method: str
    path: str  # may hold {todo}, {list}, {tag}, {token}: ids of alice's real objects
    body: Any = ABSENT  # a JSON value, or NOT_JSON / FORM
    params: dict[str, Any] = field(default_factory=dict)
    loc: tuple[str | int, ...] = ()  # a 422's detail must hold a loc starting with this
    status: int = 422
    msg: str = ""  # and, when given, a message containing this
    headers: dict[str, str] = field(default_factory=dict)


def body(method: str, path: str, value: Any, loc: tuple[str | int, ...], msg: str = "") -> Bad:
    return Bad(method, path, body=value, loc=("body", *loc), msg=msg)


def query(path: str, params: dict[str, Any], name: str, *, method: str = "GET") -> Bad:
    return Bad(method, path, params=params, loc=("query", name))


def raw_bodies(method: str, path: str) -> list[Bad]:
    """Not JSON, not an object, not JSON at all."""
    return [
        Bad(method, path, body=NOT_JSON, loc=("body",)),
        Bad(method, path, body=FORM, loc=("body",)),
        body(method, path, [], ()),
        body(method, path, "title", ()),
        body(method, path, None, ()),
    ]


AUTH = [
    *raw_bodies("POST", "/api/auth/login"),
    body("POST", "/api/auth/login", {}, ("username",)),
    body("POST", "/api/auth/login", {"username": 5, "password": "p"}, ("username",)),
    body("POST", "/api/auth/login", {"username": "a" * 65, "password": "p"}, ("username",)),
    body("POST", "/api/auth/login", {"username": "alice", "password": ""}, ("password",)),
    body(
        "POST", "/api/auth/login", {"username": "a", "password": "p", "remember": 1}, ("remember",)
    ),
    *raw_bodies("POST", "/api/tokens"),
    body("POST", "/api/tokens", {}, ("name",)),
    body("POST", "/api/tokens", {"name": ""}, ("name",)),
    body("POST", "/api/tokens", {"name": "x" * 101}, ("name",)),
    body("POST", "/api/tokens", {"name": ["ci"]}, ("name",)),
    body("POST", "/api/tokens", {"name": "ci", "scopes": ["all"]}, ("scopes",)),
    Bad("DELETE", "/api/tokens/abc", loc=("path", "token_id")),
    Bad("DELETE", "/api/tokens/1.5", loc=("path", "token_id")),
    Bad("DELETE", "/api/tokens/-1", loc=("path", "token_id")),
    Bad("DELETE", f"/api/tokens/{HUGE}", loc=("path", "token_id")),
]

T = "/api/todos/{todo}"
TIMEZONE = "include a timezone"


def each(method: str, path: str, bad: list[tuple[str, Any]], base: dict[str, Any]) -> list[Bad]:
    """One request per (field, bad value), the rest of the body good; the field is named."""
    return [body(method, path, {**base, name: value}, (name,)) for name, value in bad]


def each_query(path: str, bad: list[tuple[str, Any]], method: str = "GET") -> list[Bad]:
    return [query(path, {name: value}, name, method=method) for name, value in bad]


TODOS = [
    *raw_bodies("POST", "/api/todos"),
    body("POST", "/api/todos", {}, ("title",)),
    *each(
        "POST",
        "/api/todos",
        [
            *[("title", v) for v in ("", "   ", "x" * 201, 5, None)],
            *[("notes", v) for v in ("n" * 20_001, {"md": "x"})],
            *[("priority", v) for v in ("urgent", 3, "")],
            *[("completed", v) for v in ("yes", 1, "true")],
            *[("due", v) for v in ("2026-13-45", "2026-02-30", "tomorrow", 20261201, "")],
            *[("tags", v) for v in ("work", [f"t{i}" for i in range(51)], {"a": 1})],
            *[("list_id", v) for v in ("1", 0, -3, int(HUGE), 10**30, 1.0, True)],
            *[("order", v) for v in (-1, 1.5, "0", 10**20)],
            ("color", "red"),
            ("version", 7),
        ],
        {"title": "x"},
    ),
    body("POST", "/api/todos", {"title": "x", "due": "2026-12-01T09:00:00"}, ("due",), TIMEZONE),
    body("POST", "/api/todos", {"title": "x", "due": "2026-12-01 09:00"}, ("due",), "timezone"),
    body("POST", "/api/todos", {"title": "x", "tags": [5]}, ("tags", 0)),
    body("POST", "/api/todos", {"title": "x", "tags": ["ok", "a,b"]}, ("tags", 1), "comma"),
    body("POST", "/api/todos", {"title": "x", "tags": ["t" * 41]}, ("tags", 0)),
    *each_query(
        "/api/todos",
        [
            *[("limit", v) for v in (-1, 0, 201, "ten", "1e3")],
            *[("offset", v) for v in (-1, "1" + "0" * 30, "x")],
            *[("sort", v) for v in ("bogus", "--due", "due,title", "")],
            *[("list_id", v) for v in ("abc", "0", "-1", HUGE, "1.5")],
            ("completed", "maybe"),
            ("overdue", "2"),
            *[("due_before", v) for v in ("2026-12-01T09:00:00", "2026-02-30", "soon")],
            *[("due_after", v) for v in ("2026-12-01T09:00", "x")],
            ("tag", "a,b"),
            ("q", "x" * 201),
            ("colour", "red"),
        ],
    ),
    Bad("DELETE", "/api/todos", loc=("query",), msg="at least one filter"),
    Bad("DELETE", "/api/todos", params={"q": " "}, loc=("query",), msg="at least one filter"),
    query("/api/todos", {"completed": "true", "limit": 5}, "limit", method="DELETE"),
    *each_query(
        "/api/todos", [("completed", "maybe"), ("list_id", HUGE), ("sort", "due")], "DELETE"
    ),
    *raw_bodies("PATCH", T),
    *each(
        "PATCH",
        T,
        [
            *[("title", v) for v in (None, "", " ", 7)],
            *[("completed", v) for v in (None, "false")],
            *[("priority", v) for v in ("URGENT", None)],
            *[("due", v) for v in ("nope", 5)],
            *[("tags", v) for v in (None, "a")],
            *[("list_id", v) for v in ("inbox", 0, int(HUGE))],
            *[("order", v) for v in (None, -2)],
            *[(name, 5) for name in ("id", "url", "version", "created_at")],
        ],
        {},
    ),
    body("PATCH", T, {"due": "2026-12-01T10:00"}, ("due",), TIMEZONE),
    *raw_bodies("POST", T + "/move"),
    body("POST", T + "/move", {}, ("position",)),
    *each(
        "POST",
        T + "/move",
        [
            *[("position", v) for v in (-1, "1", 10**20, None, 0.5)],
            *[("list_id", v) for v in ("inbox", 0, int(HUGE))],
            ("list", 1),
        ],
        {"position": 0},
    ),
    Bad("POST", "/api/todos/abc/move", body={"position": 0}, loc=("path", "todo_id")),
    Bad("POST", f"/api/todos/{HUGE}/move", body={"position": 0}, loc=("path", "todo_id")),
]

L = "/api/lists/{list}"
G = "/api/tags/{tag}"
LISTS_AND_TAGS = [
    *raw_bodies("POST", "/api/lists"),
    body("POST", "/api/lists", {}, ("name",)),
    body("POST", "/api/lists", {"name": "x", "color": "blue"}, ("color",), "#rrggbb"),
    *each(
        "POST",
        "/api/lists",
        [
            *[("name", v) for v in ("", "  ", "x" * 101, ["x"], None)],
            *[("color", v) for v in ("#12345", 0x123456, "#1234567", None)],
            ("colour", "#123456"),
        ],
        {"name": "x"},
    ),
    *raw_bodies("PATCH", L),
    *each(
        "PATCH",
        L,
        [("name", None), ("name", ""), ("color", None), ("color", "#GGGGGG"), ("todo_count", 5)],
        {},
    ),
    Bad("DELETE", L, params={"todos": "archive"}, loc=("query", "todos")),
    *raw_bodies("POST", "/api/tags"),
    body("POST", "/api/tags", {}, ("name",)),
    body("POST", "/api/tags", {"name": "a,b"}, ("name",), "comma"),
    *each(
        "POST",
        "/api/tags",
        [
            *[("name", v) for v in ("", "x" * 41, 5, None)],
            ("color", "#zzzzzz"),
            ("todo_count", 1),
        ],
        {"name": "x"},
    ),
    *raw_bodies("PATCH", G),
    *each("PATCH", G, [("name", None), ("name", "a,b"), ("name", " "), ("color", "")], {}),
]
for kind, name in (("todos", "todo_id"), ("lists", "list_id"), ("tags", "tag_id")):
    for bad_id in ("abc", "0", "-5", "1.5", HUGE, "1" + "0" * 30):
        for method in ("GET", "PATCH", "DELETE"):
            payload = {} if method == "PATCH" else ABSENT
            LISTS_AND_TAGS.append(
                Bad(method, f"/api/{kind}/{bad_id}", body=payload, loc=("path", name))
            )


async def send(client: httpx.AsyncClient, case: Bad, ids: dict[str, int]) -> httpx.Response:
    options: dict[str, Any] = {"params": case.params, "headers": case.headers}
    if case.body is NOT_JSON or case.body is FORM:
        options.update(case.body)
    elif case.body is not ABSENT:
        options["json"] = case.body
    return await client.request(case.method, case.path.format(**ids), **options)


def problem(case: Bad, response: httpx.Response) -> str | None:
    """What is wrong with the answer to a malformed request, if anything."""
    if response.status_code != case.status:
        return f"{response.status_code} {response.text[:300]}"
    if case.status != 422:
        return None
    detail = response.json()["detail"]
    named = [d for d in detail if tuple(d["loc"][: len(case.loc)]) == case.loc and d["msg"].strip()]
    if not named:
        return f"no error at {case.loc}: {detail}"
    if case.msg and not any(case.msg in d["msg"] for d in named):
        return f"no message with {case.msg!r}: {named}"
    return None


async def snapshot(app: FastAPI) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (token use times aside: they tick on any request)."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    async with app.state.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "last_used_at"]
            rows = (await conn.execute(select(*columns))).all()
            state[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return state


@pytest.fixture
async def ids(alice: httpx.AsyncClient) -> dict[str, int]:
    work = await new_list(alice, "Work")
    todo = await new_todo(alice, "Real", list_id=work["id"], tags=["real"])
    await new_todo(alice, "Other", completed=True)
    tag = (await alice.get("/api/tags")).json()["data"][0]
    token = (await alice.get("/api/tokens")).json()[0]
    return {"todo": todo["id"], "list": work["id"], "tag": tag["id"], "token": token["id"]}


async def run_cases(
    app: FastAPI, client: httpx.AsyncClient, cases: list[Bad], ids: dict[str, int]
) -> None:
    before = await snapshot(app)
    failures = []
    for case in cases:
        try:
            response = await send(client, case, ids)
        except Exception as exc:  # ASGITransport re-raises what would have been a 500
            failures.append(f"{case.method} {case.path} {case.body!r:.60}: raised {exc!r:.200}")
            continue
        wrong = problem(case, response)
        if wrong:
            failures.append(f"{case.method} {case.path} {case.params} {case.body!r:.60}: {wrong}")
    assert not failures, "\n".join(failures)
    assert await snapshot(app) == before


FORGED = [
    Bad(method, path, body={"name": "x"}, status=401, headers=headers)
    for headers in (
        {"Authorization": "Bearer wst_forged"},
        {"Authorization": "Basic YWxpY2U6cHc="},
        {"Authorization": "Bearer"},
        {"Cookie": "workspace_session=forged"},
        {},
    )
    for method, path in (("GET", "/api/me"), ("GET", "/api/todos"), ("POST", "/api/lists"))
]


async def test_malformed_auth_and_tokens(
    backend: str, app: FastAPI, alice: httpx.AsyncClient, ids: dict[str, int]
) -> None:
    await run_cases(app, alice, AUTH, ids)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as anonymous:
        await run_cases(app, anonymous, FORGED, ids)


async def test_malformed_todos(
    backend: str, app: FastAPI, alice: httpx.AsyncClient, ids: dict[str, int]
) -> None:
    await run_cases(app, alice, TODOS, ids)


async def test_malformed_lists_tags_and_ids(
    backend: str, app: FastAPI, alice: httpx.AsyncClient, ids: dict[str, int]
) -> None:
    await run_cases(app, alice, LISTS_AND_TAGS, ids)


def sweep(spec: dict[str, Any]) -> Iterator[Bad]:
    """Broken ids, bodies and query values for every operation of the schema."""
    for template, operations in spec["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            paths = [p for p in params if p["in"] == "path"]
            ints = [p["name"] for p in paths if _is(p, "integer")]
            if len(ints) != len(paths):
                continue  # text path parameters reach handlers: not a malformed request
            real = template.format(**dict.fromkeys(ints, 1))
            for name in ints:
                for bad in ("abc", HUGE):
                    path = template.format(**{**dict.fromkeys(ints, 1), name: bad})
                    yield Bad(method.upper(), path, body={}, loc=("path", name))
            for p in params:
                if p["in"] == "query" and (_is(p, "integer") or _is(p, "boolean")):
                    bad = "notanumber" if _is(p, "integer") else "maybe"
                    yield Bad(method.upper(), real, params={p["name"]: bad}, loc=("query",))
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                raws: tuple[Any, ...] = (NOT_JSON, FORM, [])
                for raw in raws:
                    yield Bad(method.upper(), real, body=raw, loc=("body",))


def _is(param: dict[str, Any], kind: str) -> bool:
    schema = param.get("schema", {})
    options = [schema, *schema.get("anyOf", [])]
    return any(option.get("type") == kind for option in options)


async def test_every_operation_refuses_broken_ids_bodies_and_values(
    backend: str, app: FastAPI, make_user: UserFactory
) -> None:
    # An administrator, so that admin operations get as far as validating what they were
    # sent (a non-admin's 403 on each is tests/api/admin/test_access.py's).
    root = await make_user("root", admin=True)
    cases = list(sweep(app.openapi()))
    assert len(cases) > 50
    await run_cases(app, root, cases, {})
