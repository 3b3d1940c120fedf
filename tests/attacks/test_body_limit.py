"""Unbounded request bodies: an unauthenticated client streamed 300 MiB, chunked, to
/api/auth/logout, and the api held all of it before answering."""

from __future__ import annotations

import json

import httpx

from tests.attacks.conftest import ApiStarter
from tests.attacks.sockets import chunked_flood, json_request, raw_request, rss_bytes
from tests.support.environment import PASSWORD
from tests.support.processes import token_for

MiB = 1024 * 1024


async def test_a_chunked_flood_is_cut_off_at_the_limit_and_the_api_stays_small(
    start_apis: ApiStarter,
) -> None:
    (api,) = await start_apis()
    before = rss_bytes(api.pid)
    response, sent = await chunked_flood(api.port, "/api/auth/logout", 300 * MiB)
    grown = rss_bytes(api.pid) - before
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b"at most 1 MiB for API requests" in response
    assert sent < 300 * MiB
    assert grown < 48 * MiB, f"the api grew by {grown / MiB:.0f} MiB"


async def test_a_declared_length_over_the_limit_is_refused_before_any_body(
    start_apis: ApiStarter,
) -> None:
    (api,) = await start_apis(max_notebook_body_bytes=2 * MiB)
    for path, limit in (("/api/todos", "1 MiB"), ("/notebooks/1/api/contents/x", "2 MiB")):
        request = json_request("PUT", path, length=10 * 1024 * MiB)
        response = await raw_request(api.port, request, timeout=10)
        assert response.startswith(b"HTTP/1.1 413"), response[:200]
        assert f"at most {limit}".encode() in response
        assert b"connection: close" in response.lower()


async def test_a_client_that_sends_a_too_large_body_whole_reads_the_413(
    start_apis: ApiStarter,
) -> None:
    """Answered with its bytes unread, its connection would be reset and the client would
    see an error instead of the answer. One that asks first is refused without being asked
    for the body (no "100 Continue")."""
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}") as client:
        for _ in range(20):
            r = await client.post("/api/auth/logout", content=b"x" * (3 * MiB))
            assert r.status_code == 413 and "at most 1 MiB" in r.json()["detail"]
    request = json_request("POST", "/api/todos", length=3 * MiB, headers="Expect: 100-continue\r\n")
    response = await raw_request(api.port, request, timeout=10)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]


async def test_a_body_under_the_limit_reaches_the_route(start_apis: ApiStarter) -> None:
    (api,) = await start_apis()
    body = b'{"username": "' + b"x" * (512 * 1024) + b'", "password": "y"}'
    request = json_request("POST", "/api/auth/login", length=len(body), body=body)
    response = await raw_request(api.port, request, timeout=10)
    assert response.startswith(b"HTTP/1.1 422"), response[:200]  # the route's own validation


async def test_a_long_post_and_a_notebook_upload_are_not_cut_off_at_the_json_limit(
    start_apis: ApiStarter, account: str
) -> None:
    """Blog routes carry more than an API request: a post of non-Latin text near its
    million-character limit, or a notebook file, is over 1 MiB on the wire."""
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url, timeout=120) as client:
        client.headers["Authorization"] = f"Bearer {await token_for(client, account, PASSWORD)}"
        r = await client.post("/api/posts/preview", json={"body": "é" * 900_000})
        assert r.status_code == 200, r.text[:300]
        notebook = {"cells": [], "metadata": {"padding": "x" * (2 * MiB)}}
        files = {"file": ("big.ipynb", json.dumps(notebook | {"nbformat": 4, "nbformat_minor": 5}))}
        r = await client.post("/api/posts/notebooks/upload", files=files)
        assert r.status_code == 201, r.text[:300]
