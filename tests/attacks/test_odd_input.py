"""Odd input a client chose on purpose: Unicode digits and huge ids in the proxy's path,
deeply nested JSON hiding a NUL. Each must be a clear 4xx, never a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.attacks.conftest import ApiStarter
from tests.attacks.sockets import raw_request
from tests.support.environment import PASSWORD
from tests.support.processes import token_for


@pytest.mark.parametrize(
    "path",
    [
        "/notebooks/%C2%B2/",  # "²": a digit to str.isdigit, not to int()
        "/notebooks/%D9%A3/lab",  # "٣", an Arabic-Indic digit
        "/notebooks/99999999999999999/",  # beyond the database's integer
        "/notebooks/2147483648/api/status",  # one past it
        "/notebooks/0/",
        "/notebooks/%C2%B2",  # the redirect to the slash
    ],
)
async def test_odd_notebook_ids_are_not_found_without_sign_in(
    start_apis: ApiStarter, path: str
) -> None:
    (api,) = await start_apis()
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    response = await raw_request(api.port, request)
    status = int(response.split(b" ", 2)[1])
    assert status in (307, 401, 404), response[:300]


async def test_deep_json_with_a_nul_is_a_422(start_apis: ApiStarter, account: str) -> None:
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url) as client:
        client.headers["Authorization"] = f"Bearer {await token_for(client, account, PASSWORD)}"
        depth = 50_000
        body = b'{"title": ' + b"[" * depth + b'"\\u0000"' + b"]" * depth + b"}"
        r = await client.post(
            "/api/todos", content=body, headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 422, r.text
        assert "nested deeper than" in r.text
        shallow = b'{"title": "a\\u0000b", "notes": [["\\u0000"]]}'
        r = await client.post(
            "/api/todos", content=shallow, headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 422, r.text
        locs = [d["loc"] for d in r.json()["detail"]]
        assert ["body", "title"] in locs and ["body", "notes", 0, 0] in locs
