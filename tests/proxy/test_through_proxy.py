"""JupyterLab's own protocols through the proxy with Python clients: kernels, files, redirects."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.proxy.conftest import Lab
from workspace.client import AsyncKernel
from workspace.jupyter import V1_PROTOCOL

BIG = 20 * 1024 * 1024
CHUNK = 4 * 1024 * 1024


async def new_kernel(lab: Lab) -> str:
    r = await lab.owner.post(f"{lab.prefix}api/kernels", json={"name": "python3"})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.mark.parametrize("subprotocols", [None, [V1_PROTOCOL]], ids=["json", "binary-v1"])
async def test_kernel_executes_over_the_websocket(lab: Lab, subprotocols: list[str] | None) -> None:
    kernel_id = await new_kernel(lab)
    url = f"{lab.ws_base}{lab.prefix}api/kernels/{kernel_id}/channels?session_id=s1"
    kernel = await AsyncKernel.connect(
        url, {"Authorization": lab.owner.headers["Authorization"]}, subprotocols=subprotocols
    )
    try:
        assert kernel.connection.subprotocol == (V1_PROTOCOL if subprotocols else None)
        out = await kernel.execute("1+1")
        assert out.ok, out
        assert out.result == "2"
        # A kernel that prints the token: the browser sees it masked.
        out = await kernel.execute("import os; print(os.environ['JUPYTER_TOKEN'])")
        assert out.stdout.strip() == "*" * len(lab.jupyter_token)
    finally:
        await kernel.close()
    assert kernel.connection.close_code == 1000


async def test_a_terminal_runs_and_its_exit_closes_the_browser_socket(lab: Lab) -> None:
    r = await lab.owner.post(f"{lab.prefix}api/terminals")
    assert r.status_code == 200, r.text
    url = f"{lab.ws_base}{lab.prefix}terminals/websocket/{r.json()['name']}"
    auth = {"Authorization": lab.owner.headers["Authorization"]}
    async with websockets.connect(url, additional_headers=auth, proxy=None) as terminal:
        await terminal.send(json.dumps(["stdin", "echo answer-$((6*7))\r"]))
        seen = ""
        while "answer-42" not in seen:
            kind, *rest = json.loads(await asyncio.wait_for(terminal.recv(), 30))
            if kind == "stdout":
                seen += rest[0]
        await terminal.send(json.dumps(["stdin", "exit\r"]))
        with contextlib.suppress(websockets.ConnectionClosed):
            async for _ in terminal:
                pass
    # Jupyter closes without a code (1005), which a proxy may not send: it becomes 1000.
    assert terminal.close_code == 1000


async def test_jupyters_websocket_refusal_reaches_the_client(lab: Lab) -> None:
    url = f"{lab.ws_base}{lab.prefix}api/kernels/no-such-kernel/channels"
    with pytest.raises(InvalidStatus) as refused:
        await AsyncKernel.connect(url, {"Authorization": lab.owner.headers["Authorization"]})
    assert refused.value.response.status_code == 404


async def test_a_large_file_uploads_and_downloads_intact(lab: Lab) -> None:
    data = os.urandom(BIG)
    url = f"{lab.prefix}api/contents/big.bin"
    # Jupyter's chunked upload, as JupyterLab does it for large files: chunk 1.. then -1.
    chunks = [data[i : i + CHUNK] for i in range(0, BIG, CHUNK)]
    for number, chunk in enumerate(chunks, start=1):
        body = {
            "type": "file",
            "format": "base64",
            "name": "big.bin",
            "path": "big.bin",
            "chunk": -1 if number == len(chunks) else number,
            "content": base64.b64encode(chunk).decode(),
        }
        r = await lab.owner.put(url, json=body)
        assert r.status_code in (200, 201), r.text
    assert (await lab.owner.get(url, params={"content": 0})).json()["size"] == BIG

    digest = hashlib.sha256()
    received = 0
    # A client without the token check (it reads bodies whole): this one streams.
    plain = httpx.AsyncClient(base_url=lab.stack.base_url, headers=lab.owner.headers, timeout=60)
    async with plain, plain.stream("GET", f"{lab.prefix}files/big.bin") as r:
        assert r.status_code == 200
        assert r.headers["content-length"] == str(BIG)
        async for part in r.aiter_raw():
            digest.update(part)
            received += len(part)
    assert received == BIG
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()

    # And a single large request body, streamed up (base64 of 8 MB in one PUT).
    one = os.urandom(8 * 1024 * 1024)
    body = {"type": "file", "format": "base64", "content": base64.b64encode(one).decode()}
    r = await lab.owner.put(f"{lab.prefix}api/contents/one.bin", json=body)
    assert r.status_code in (200, 201), r.text
    r = await lab.owner.get(f"{lab.prefix}files/one.bin")
    assert hashlib.sha256(r.content).digest() == hashlib.sha256(one).digest()


async def test_redirects_and_cookies_stay_on_our_origin_under_the_prefix(lab: Lab) -> None:
    r = await lab.owner.get(f"/notebooks/{lab.notebook_id}")
    assert r.status_code == 307 and r.headers["location"] == lab.prefix
    r = await lab.owner.get(lab.prefix + "?token=forged")
    assert r.status_code == 302
    location = r.headers["location"]
    assert location.startswith(f"{lab.prefix}lab"), location
    assert "://" not in location and "token" not in location

    browser = await lab.browser_session()
    r = await browser.get(f"{lab.prefix}lab", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "JupyterLab" in r.text
    cookies = r.headers.get_list("set-cookie")
    assert any(c.startswith("_xsrf=") for c in cookies), cookies
    for cookie in cookies:
        assert f"Path={lab.prefix}" in cookie, cookie
        assert "domain=" not in cookie.lower()
    # Jupyter's own login cookie is a credential for the container: never given out.
    assert not any(c.startswith("username-") for c in cookies)
    # The page config names no token, so JupyterLab sends none (the proxy adds it).
    assert '"token": ""' in r.text


async def test_cookie_session_works_with_jupyterlabs_xsrf_header(lab: Lab) -> None:
    browser = await lab.browser_session()
    await browser.get(f"{lab.prefix}lab", headers={"Accept": "text/html"})
    xsrf = browser.cookies.get("_xsrf", path=lab.prefix)
    assert xsrf
    r = await browser.post(
        f"{lab.prefix}api/contents",
        json={"type": "notebook"},
        headers={"X-XSRFToken": xsrf, "Origin": lab.stack.base_url},
    )
    assert r.status_code == 201, r.text
    name = r.json()["name"]
    r = await browser.delete(f"{lab.prefix}api/contents/{name}", headers={"X-XSRFToken": xsrf})
    assert r.status_code == 204
    # A kernel WebSocket authenticated by the cookie, from our own origin.
    kernel_id = await new_kernel(lab)
    url = f"{lab.ws_base}{lab.prefix}api/kernels/{kernel_id}/channels"
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    kernel = await AsyncKernel.connect(url, {"Cookie": cookie}, origin=lab.stack.base_url)
    try:
        assert (await kernel.execute("6*7")).result == "42"
    finally:
        await kernel.close()
