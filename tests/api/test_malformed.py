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
TODOS = [
    *raw_bodies("POST", "/api/todos"),
    body("POST", "/api/todos", {}, ("title",)),
    body("POST", "/api/todos", {"title": ""}, ("title",)),
    body("POST", "/api/todos", {"title": "   "}, ("title",)),
    body("POST", "/api/todos", {"title": "x" * 201}, ("title",)),
    body("POST", "/api/todos", {"title": 5}, ("title",)),
    body("POST", "/api/todos", {"title": "x", "notes": "n" * 20_001}, ("notes",)),
    body("POST", "/api/todos", {"title": "x", "notes": {"md": "x"}}, ("notes",)),
    body("POST", "/api/todos", {"title": "x", "priority": "urgent"}, ("priority",)),
    body("POST", "/api/todos", {"title": "x", "priority": 3}, ("priority",)),
    body("POST", "/api/todos", {"title": "x", "completed": "yes"}, ("completed",)),
    body("POST", "/api/todos", {"title": "x", "completed": 1}, ("completed",)),
    body("POST", "/api/todos", {"title": "x", "due": "2026-13-45"}, ("due",)),
    body("POST", "/api/todos", {"title": "x", "due": "2026-02-30"}, ("due",)),
    body("POST", "/api/todos", {"title": "x", "due": "tomorrow"}, ("due",)),
    body("POST", "/api/todos", {"title": "x", "due": 20261201}, ("due",)),
    body(
        "POST",
        "/api/todos",
        {"title": "x", "due": "2026-12-01T09:00:00"},
        ("due",),
        "include a timezone",
    ),
    body("POST", "/api/todos", {"title": "x", "due": "2026-12-01 09:00"}, ("due",), "timezone"),
    body("POST", "/api/todos", {"title": "x", "tags": "work"}, ("tags",)),
    body("POST", "/api/todos", {"title": "x", "tags": [5]}, ("tags", 0)),
    body("POST", "/api/todos", {"title": "x", "tags": ["ok", "a,b"]}, ("tags", 1), "comma"),
    body("POST", "/api/todos", {"title": "x", "tags": ["t" * 41]}, ("tags", 0)),
    body("POST", "/api/todos", {"title": "x", "tags": [f"t{i}" for i in range(51)]}, ("tags",)),
    body("POST", "/api/todos", {"title": "x", "list_id": "1"}, ("list_id",)),
    body("POST", "/api/todos", {"title": "x", "list_id": 0}, ("list_id",)),
    body("POST", "/api/todos", {"title": "x", "list_id": int(HUGE)}, ("list_id",)),
    body("POST", "/api/todos", {"title": "x", "list_id": 10**30}, ("list_id",)),
    body("POST", "/api/todos", {"title": "x", "order": -1}, ("order",)),
    body("POST", "/api/todos", {"title": "x", "order": 1.5}, ("order",)),
    body("POST", "/api/todos", {"title": "x", "color": "red"}, ("color",)),
    body("POST", "/api/todos", {"title": "x", "version": 7}, ("version",)),
    query("/api/todos", {"limit": -1}, "limit"),
    query("/api/todos", {"limit": 0}, "limit"),
    query("/api/todos", {"limit": 201}, "limit"),
    query("/api/todos", {"limit": "ten"}, "limit"),
    query("/api/todos", {"offset": -1}, "offset"),
    query("/api/todos", {"offset": "1" + "0" * 30}, "offset"),
    query("/api/todos", {"sort": "bogus"}, "sort"),
    query("/api/todos", {"sort": "--due"}, "sort"),
    query("/api/todos", {"list_id": "abc"}, "list_id"),
    query("/api/todos", {"list_id": "0"}, "list_id"),
    query("/api/todos", {"list_id": HUGE}, "list_id"),
    query("/api/todos", {"completed": "maybe"}, "completed"),
    query("/api/todos", {"overdue": "2"}, "overdue"),
    query("/api/todos", {"due_before": "2026-12-01T09:00:00"}, "due_before"),
    query("/api/todos", {"due_after": "2026-02-30"}, "due_after"),
    query("/api/todos", {"due_after": "soon"}, "due_after"),
    query("/api/todos", {"tag": "a,b"}, "tag"),
    query("/api/todos", {"q": "x" * 201}, "q"),
    query("/api/todos", {"colour": "red"}, "colour"),
    Bad("DELETE", "/api/todos", loc=("query",), msg="at least one filter"),
    Bad("DELETE", "/api/todos", params={"q": " "}, loc=("query",), msg="at least one filter"),
    query("/api/todos", {"completed": "true", "limit": 5}, "limit", method="DELETE"),
    query("/api/todos", {"completed": "maybe"}, "completed", method="DELETE"),
    query("/api/todos", {"list_id": HUGE}, "list_id", method="DELETE"),
    *raw_bodies("PATCH", T),
    body("PATCH", T, {"title": None}, ("title",)),
    body("PATCH", T, {"title": ""}, ("title",)),
    body("PATCH", T, {"completed": None}, ("completed",)),
    body("PATCH", T, {"completed": "false"}, ("completed",)),
    body("PATCH", T, {"priority": "URGENT"}, ("priority",)),
    body("PATCH", T, {"due": "nope"}, ("due",)),
    body("PATCH", T, {"due": "2026-12-01T10:00"}, ("due",), "include a timezone"),
    body("PATCH", T, {"tags": None}, ("tags",)),
    body("PATCH", T, {"list_id": "inbox"}, ("list_id",)),
    body("PATCH", T, {"order": None}, ("order",)),
    body("PATCH", T, {"id": 5}, ("id",)),
    body("PATCH", T, {"url": "http://x"}, ("url",)),
    *raw_bodies("POST", T + "/move"),
    body("POST", T + "/move", {}, ("position",)),
    body("POST", T + "/move", {"position": -1}, ("position",)),
    body("POST", T + "/move", {"position": "1"}, ("position",)),
    body("POST", T + "/move", {"position": 10**20}, ("position",)),
    body("POST", T + "/move", {"position": 0, "list_id": "inbox"}, ("list_id",)),
    body("POST", T + "/move", {"position": 0, "list": 1}, ("list",)),
    Bad("POST", "/api/todos/abc/move", body={"position": 0}, loc=("path", "todo_id")),
    Bad("POST", f"/api/todos/{HUGE}/move", body={"position": 0}, loc=("path", "todo_id")),
]

L = "/api/lists/{list}"
G = "/api/tags/{tag}"
LISTS_AND_TAGS = [
    *raw_bodies("POST", "/api/lists"),
    body("POST", "/api/lists", {}, ("name",)),
    body("POST", "/api/lists", {"name": ""}, ("name",)),
    body("POST", "/api/lists", {"name": "x" * 101}, ("name",)),
    body("POST", "/api/lists", {"name": ["x"]}, ("name",)),
    body("POST", "/api/lists", {"name": "x", "color": "blue"}, ("color",), "#rrggbb"),
    body("POST", "/api/lists", {"name": "x", "color": "#12345"}, ("color",)),
    body("POST", "/api/lists", {"name": "x", "color": 0x123456}, ("color",)),
    body("POST", "/api/lists", {"name": "x", "colour": "#123456"}, ("colour",)),
    *raw_bodies("PATCH", L),
    body("PATCH", L, {"name": None}, ("name",)),
    body("PATCH", L, {"color": None}, ("color",)),
    body("PATCH", L, {"color": "#GGGGGG"}, ("color",)),
    body("PATCH", L, {"todo_count": 5}, ("todo_count",)),
    Bad("DELETE", L, params={"todos": "archive"}, loc=("query", "todos")),
    *raw_bodies("POST", "/api/tags"),
    body("POST", "/api/tags", {}, ("name",)),
    body("POST", "/api/tags", {"name": ""}, ("name",)),
    body("POST", "/api/tags", {"name": "a,b"}, ("name",), "comma"),
    body("POST", "/api/tags", {"name": "x" * 41}, ("name",)),
    body("POST", "/api/tags", {"name": "x", "color": "#zzzzzz"}, ("color",)),
    body("POST", "/api/tags", {"name": "x", "todo_count": 1}, ("todo_count",)),
    *raw_bodies("PATCH", G),
    body("PATCH", G, {"name": None}, ("name",)),
    body("PATCH", G, {"name": "a,b"}, ("name",)),
    body("PATCH", G, {"name": " "}, ("name",)),
]
for kind, name in (("todos", "todo_id"), ("lists", "list_id"), ("tags", "tag_id")):
    for bad_id in ("abc", "0", "-5", "1.5", HUGE, "1" + "0" * 30):
        for method in ("GET", "PATCH", "DELETE"):
            payload = {} if method == "PATCH" else ABSENT
            LISTS_AND_TAGS.append(
                Bad(method, f"/api/{kind}/{bad_id}", body=payload, loc=("path", name))
            )


async def send(client: httpx.AsyncClient, case: Bad, ids: dict[str, int]) -> httpx.Response:
    options: dict[str, Any] = {"params": case.params}
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


async def test_malformed_auth_and_tokens(
    backend: str, app: FastAPI, alice: httpx.AsyncClient, ids: dict[str, int]
) -> None:
    await run_cases(app, alice, AUTH, ids)
    before = await snapshot(app)
    anonymous = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    async with anonymous:
        for headers in (
            {"Authorization": "Bearer wst_forged"},
            {"Authorization": "Basic YWxpY2U6cHc="},
            {"Authorization": "Bearer"},
            {},
        ):
            for method, path in (("GET", "/api/me"), ("GET", "/api/todos"), ("POST", "/api/lists")):
                r = await anonymous.request(method, path, headers=headers, json={"name": "x"})
                assert r.status_code == 401, (headers, path, r.text)
                assert r.json()["detail"]
        r = await anonymous.post(
            "/api/lists", json={"name": "x"}, cookies={"workspace_session": "forged"}
        )
        assert r.status_code == 401
    assert await snapshot(app) == before


async def test_malformed_todos(
    backend: str, app: FastAPI, alice: httpx.AsyncClient, ids: dict[str, int]
) -> None:
    await run_cases(app, alice, TODOS, ids)


async def test_malformed_lists_tags_and_ids(
    backend: str, app: FastAPI, alice: httpx.AsyncClient, ids: dict[str, int]
) -> None:
    await run_cases(app, alice, LISTS_AND_TAGS, ids)


def sweep(spec: dict[str, Any]) -> Iterator[tuple[str, str, Bad]]:
    """Broken ids, bodies and query values for every operation of the schema."""
    for template, operations in spec["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            paths = [p for p in params if p["in"] == "path"]
            ints = [p["name"] for p in paths if _is(p, "integer")]
            if len(ints) != len(paths):
                continue  # text path parameters reach handlers: not a malformed request

            real = _fill(template, ints)
            for name in ints:
                for bad in ("abc", HUGE):
                    case = Bad(
                        method.upper(),
                        _fill(template, ints, name, bad),
                        body={},
                        loc=("path", name),
                    )
                    yield template, bad, case
            for p in params:
                if p["in"] == "query" and (_is(p, "integer") or _is(p, "boolean")):
                    bad = "notanumber" if _is(p, "integer") else "maybe"
                    case = Bad(method.upper(), real, params={p["name"]: bad}, loc=("query",))
                    yield template, bad, case
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                for raw in (NOT_JSON, FORM):
                    yield template, "raw", Bad(method.upper(), real, body=raw, loc=())
                yield template, "[]", Bad(method.upper(), real, body=[], loc=())


def _fill(template: str, ints: list[str], bad_name: str = "", bad: str = "") -> str:
    """The path with real-looking ids, `bad` in place of `bad_name`."""
    for name in ints:
        template = template.replace("{" + name + "}", bad if name == bad_name else "1")
    return template


def _is(param: dict[str, Any], kind: str) -> bool:
    schema = param.get("schema", {})
    options = [schema, *schema.get("anyOf", [])]
    return any(option.get("type") == kind for option in options)


async def test_every_operation_refuses_broken_ids_bodies_and_values(
    backend: str, app: FastAPI, alice: httpx.AsyncClient
) -> None:
    spec = app.openapi()
    before = await snapshot(app)
    failures, checked = [], 0
    for _template, bad, case in sweep(spec):
        checked += 1
        try:
            response = await send(alice, case, {})
        except Exception as exc:
            failures.append(f"{case.method} {case.path} {bad}: raised {exc!r:.200}")
            continue
        wrong = problem(case, response)
        if wrong:
            failures.append(f"{case.method} {case.path} {case.params} {bad}: {wrong}")
    assert not failures, "\n".join(failures)
    assert checked > 50
    assert await snapshot(app) == before
