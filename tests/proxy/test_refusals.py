"""Who is refused at the proxy, and how: sign-in, 404 for others, 503 when stopped, CSRF."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from app.proxy.notebook_proxy import ACCESS_TTL
from app.proxy.pages import DASHBOARD_NOTEBOOKS_PATH, SIGN_IN_PATH
from tests.proxy.conftest import Lab, expire_sessions
from workspace.client import AsyncKernel

HTML = {"Accept": "text/html,application/xhtml+xml"}


async def ws_status(url: str, headers: dict[str, str], origin: str | None = None) -> int:
    """The HTTP status the proxy refuses a WebSocket handshake with (or 101)."""
    try:
        kernel = await AsyncKernel.connect(url, headers, origin=origin)
    except InvalidStatus as exc:
        return exc.response.status_code
    await kernel.close()
    return 101


def bearer(client: httpx.AsyncClient) -> dict[str, str]:
    return {"Authorization": client.headers["Authorization"]}


async def kernel_url(lab: Lab) -> str:
    r = await lab.owner.post(f"{lab.prefix}api/kernels", json={"name": "python3"})
    assert r.status_code == 201, r.text
    return f"{lab.ws_base}{lab.prefix}api/kernels/{r.json()['id']}/channels"


async def test_another_users_notebook_and_unknown_ids_are_404(lab: Lab) -> None:
    bob = await lab.stack.user("bob")
    lab.watch(bob)
    for method in ("GET", "POST", "PUT", "DELETE"):
        r = await bob.request(method, f"{lab.prefix}api/contents/x.txt")
        assert r.status_code == 404, (method, r.status_code, r.text)
    bob_browser = await lab.browser_session("bob")
    r = await bob_browser.get(f"{lab.prefix}lab", headers=HTML)
    assert r.status_code == 404 and "not found" in r.text.lower()
    assert await ws_status(await kernel_url(lab), bearer(bob)) == 404

    for wrong in ("999999", "0", "abc", "-1"):
        r = await lab.owner.get(f"/notebooks/{wrong}/api/status")
        assert r.status_code == 404, (wrong, r.status_code)


async def test_without_a_session_browsers_sign_in_and_scripts_get_401(lab: Lab) -> None:
    anonymous = httpx.AsyncClient(base_url=lab.stack.base_url, timeout=30)
    lab.stack.clients.append(anonymous)
    lab.watch(anonymous)
    r = await anonymous.get(f"{lab.prefix}lab/tree/a b.ipynb?reset=1", headers=HTML)
    assert r.status_code == 302
    expected_next = quote(f"{lab.prefix}lab/tree/a%20b.ipynb?reset=1", safe="/")
    assert r.headers["location"] == f"{SIGN_IN_PATH}?next={expected_next}"
    r = await anonymous.get(f"{lab.prefix}api/status")
    assert r.status_code == 401 and r.headers["content-type"] == "application/json"
    assert r.json()["detail"]
    r = await anonymous.post(f"{lab.prefix}api/contents", json={"type": "notebook"})
    assert r.status_code == 401
    r = await anonymous.get(f"{lab.prefix}api/status", headers={"Authorization": "Bearer wst_nope"})
    assert r.status_code == 401
    assert await ws_status(await kernel_url(lab), {}) == 401

    # An expired session is no session (after the proxy's short memory of it).
    browser = await lab.browser_session()
    assert (await browser.get(f"{lab.prefix}api/status")).status_code == 200
    await expire_sessions(lab.stack)
    await asyncio.sleep(ACCESS_TTL + 0.2)
    r = await browser.get(f"{lab.prefix}lab", headers=HTML)
    assert r.status_code == 302 and r.headers["location"].startswith(f"{SIGN_IN_PATH}?next=")
    assert (await browser.get(f"{lab.prefix}api/status")).status_code == 401


async def test_cross_site_requests_are_refused(lab: Lab) -> None:
    browser = await lab.browser_session()
    await browser.get(f"{lab.prefix}lab", headers=HTML)
    xsrf = browser.cookies.get("_xsrf", path=lab.prefix)
    assert xsrf
    url = f"{lab.prefix}api/contents"
    body = {"type": "notebook"}
    refused = [
        {},  # what a foreign form or fetch could send: no X-XSRFToken
        {"X-XSRFToken": "2|00000000|0000|0"},
        {"X-XSRFToken": xsrf, "Origin": "http://evil.example"},
        {"X-XSRFToken": xsrf, "Sec-Fetch-Site": "cross-site"},
    ]
    for headers in refused:
        r = await browser.post(url, json=body, headers=headers)
        assert r.status_code == 403, (headers, r.status_code, r.text)
    r = await browser.post(url, json=body, headers={"X-XSRFToken": xsrf})
    assert r.status_code == 201, r.text
    # Scripts with an API token need no XSRF token (a foreign page cannot send the header).
    r = await lab.owner.post(url, json=body)
    assert r.status_code == 201, r.text

    ws = await kernel_url(lab)
    cookie = {"Cookie": f"workspace_session={browser.cookies['workspace_session']}"}
    assert await ws_status(ws, cookie, origin="http://evil.example") == 403
    assert await ws_status(ws, cookie, origin="http://127.0.0.1:1") == 403
    assert await ws_status(ws, bearer(lab.owner), origin="http://evil.example") == 403
    assert await ws_status(ws, cookie, origin=lab.stack.base_url) == 101


async def test_a_stopped_notebook_is_503_with_a_way_back(lab: Lab) -> None:
    r = await lab.owner.post(f"/api/notebooks/{lab.notebook_id}/stop")
    assert r.status_code == 202
    await lab.feed.wait_status(lab.notebook_id, "stopped")
    await asyncio.sleep(ACCESS_TTL + 0.2)
    r = await lab.owner.get(f"{lab.prefix}api/status")
    assert r.status_code == 503 and "not running" in r.json()["detail"]
    browser = await lab.browser_session()
    r = await browser.get(f"{lab.prefix}lab", headers=HTML)
    assert r.status_code == 503
    assert "stopped" in r.text and f'href="{DASHBOARD_NOTEBOOKS_PATH}"' in r.text
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(
            f"{lab.ws_base}{lab.prefix}api/events/subscribe",
            additional_headers=bearer(lab.owner),
            proxy=None,
        )
    assert refused.value.response.status_code == 503
