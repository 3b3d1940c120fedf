"""Who is refused at the proxy, and how: sign-in, 404 for others, 503 when stopped, CSRF."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from app.core.notebook_origin import new_key
from app.proxy.notebook_proxy import ACCESS_TTL
from app.proxy.pages import DASHBOARD_NOTEBOOKS_PATH, SIGN_IN_PATH
from tests.proxy.conftest import Lab, expire_sessions
from tests.support import loopback
from tests.support.loopback import ws_target
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


async def test_another_users_notebook_and_unknown_ones_are_404(lab: Lab) -> None:
    bob_api = await lab.stack.user("bob")
    bob = lab.stack.notebook_client(lab.key, bob_api)
    lab.watch(bob)
    for method in ("GET", "POST", "PUT", "DELETE"):
        r = await bob.request(method, f"{lab.prefix}api/contents/x.txt")
        assert r.status_code == 404, (method, r.status_code, r.text)
    assert await ws_status(await kernel_url(lab), bearer(bob)) == 404
    # Bob's browser: the dashboard hands him over to none of alice's notebooks, and her
    # notebook's origin, which he holds no pass for, sends him back to be handed over.
    bob_browser = await lab.browser_session("bob")
    r = await bob_browser.get(f"{lab.stack.base_url}/notebooks/{lab.notebook_id}/lab", headers=HTML)
    assert r.status_code == 404 and "not found" in r.text.lower()
    r = await bob_browser.get(f"{lab.prefix}lab", headers=HTML)
    assert r.status_code == 302
    assert r.headers["location"] == f"{lab.stack.base_url}/notebooks/{lab.key}/lab"

    for wrong in ("999999", "0", "abc", "-1", "9" * 40, "f" * 31):
        r = await lab.api.get(f"/notebooks/{wrong}/api/status")
        assert r.status_code == 404, (wrong, r.status_code)
    # Hosts of the notebook domain that name no notebook of anyone's.
    port = lab.stack.base_url.rsplit(":", 1)[1]
    domain = lab.stack.settings.notebook_domain
    for host in (new_key(), "not-a-key", "a.b"):
        url = f"http://{host}.{domain}:{port}/api/status"
        assert (await lab.owner.get(url)).status_code == 404, host
    r = await lab.owner.get(f"http://{domain}:{port}/api/me")
    assert r.status_code == 404


async def test_without_a_pass_browsers_are_handed_over_and_scripts_get_401(lab: Lab) -> None:
    anonymous = loopback.client(base_url=lab.url, timeout=30)
    lab.stack.clients.append(anonymous)
    lab.watch(anonymous)
    r = await anonymous.get(f"{lab.prefix}lab/tree/a b.ipynb?reset=1", headers=HTML)
    assert r.status_code == 302
    again = f"{lab.stack.base_url}/notebooks/{lab.key}/lab/tree/a%20b.ipynb?reset=1"
    assert r.headers["location"] == again
    # …where the dashboard asks for a sign-in first, then comes back to the same place.
    r = await anonymous.get(again, headers=HTML)
    assert r.status_code == 302
    expected_next = quote(f"/notebooks/{lab.key}/lab/tree/a%20b.ipynb?reset=1", safe="/")
    assert r.headers["location"] == f"{SIGN_IN_PATH}?next={expected_next}"
    r = await anonymous.get(f"{lab.prefix}api/status")
    assert r.status_code == 401 and r.headers["content-type"] == "application/json"
    assert r.json()["detail"]
    r = await anonymous.post(f"{lab.prefix}api/contents", json={"type": "notebook"})
    assert r.status_code == 401
    r = await anonymous.get(f"{lab.prefix}api/status", headers={"Authorization": "Bearer wst_nope"})
    assert r.status_code == 401
    assert await ws_status(await kernel_url(lab), {}) == 401

    # The pass ends with the session it was handed over from (after the proxy's short
    # memory of it).
    browser = await lab.browser_session()
    assert (await browser.get(f"{lab.prefix}api/status")).status_code == 200
    await expire_sessions(lab.stack)
    await asyncio.sleep(ACCESS_TTL + 0.2)
    r = await browser.get(f"{lab.prefix}lab", headers=HTML)
    assert r.status_code == 302 and r.headers["location"].startswith(f"{lab.stack.base_url}/")
    assert (await browser.get(f"{lab.prefix}api/status")).status_code == 401


async def test_cross_site_requests_are_refused(lab: Lab) -> None:
    browser = await lab.browser_session()
    await browser.get(f"{lab.prefix}lab", headers=HTML)
    xsrf = browser.cookies.get("_xsrf", path=lab.prefix)
    assert xsrf
    url = f"{lab.prefix}api/contents"
    body = {"type": "notebook"}
    other_notebook = lab.stack.notebook_url(new_key())
    refused = [
        {},  # what a foreign form or fetch could send: no X-XSRFToken
        {"X-XSRFToken": "2|00000000|0000|0"},
        {"X-XSRFToken": xsrf, "Origin": "http://evil.example"},
        # Neither the dashboard nor another notebook is this notebook's origin.
        {"X-XSRFToken": xsrf, "Origin": lab.stack.base_url},
        {"X-XSRFToken": xsrf, "Origin": other_notebook},
        {"X-XSRFToken": xsrf, "Sec-Fetch-Site": "cross-site"},
        {"X-XSRFToken": xsrf, "Sec-Fetch-Site": "same-site"},
    ]
    for headers in refused:
        r = await browser.post(url, json=body, headers=headers)
        assert r.status_code == 403, (headers, r.status_code, r.text)
    r = await browser.post(url, json=body, headers={"X-XSRFToken": xsrf})
    assert r.status_code == 201, r.text
    # Another notebook's page (same site, other origin) may not even read, but for a link
    # the person follows.
    fetch = {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}
    assert (await browser.get(url, headers=fetch)).status_code == 403
    navigate = {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "navigate"}
    r = await browser.get(
        f"{lab.prefix}lab", headers={**HTML, **navigate, "Sec-Fetch-Dest": "document"}
    )
    assert r.status_code == 200
    r = await browser.get(
        f"{lab.prefix}lab", headers={**HTML, **navigate, "Sec-Fetch-Dest": "iframe"}
    )
    assert r.status_code == 403
    # Scripts with an API token need no XSRF token (a foreign page cannot send the header).
    r = await lab.owner.post(url, json=body)
    assert r.status_code == 201, r.text

    ws = await kernel_url(lab)
    cookie = {"Cookie": f"workspace_notebook={browser.cookies['workspace_notebook']}"}
    assert await ws_status(ws, cookie, origin="http://evil.example") == 403
    assert await ws_status(ws, cookie, origin=lab.stack.base_url) == 403
    assert await ws_status(ws, cookie, origin=other_notebook) == 403
    assert await ws_status(ws, bearer(lab.owner), origin="http://evil.example") == 403
    assert await ws_status(ws, cookie, origin=lab.url) == 101


async def test_a_stopped_notebook_is_503_with_a_way_back(lab: Lab) -> None:
    r = await lab.api.post(f"/api/notebooks/{lab.notebook_id}/stop")
    assert r.status_code == 202
    await lab.feed.wait_status(lab.notebook_id, "stopped")
    await asyncio.sleep(ACCESS_TTL + 0.2)
    r = await lab.owner.get(f"{lab.prefix}api/status")
    assert r.status_code == 503 and "not running" in r.json()["detail"]
    browser = await lab.browser_session()
    r = await browser.get(f"{lab.prefix}lab", headers=HTML)
    assert r.status_code == 503
    back = f"{lab.stack.base_url}{DASHBOARD_NOTEBOOKS_PATH}"
    assert "stopped" in r.text and f'href="{back}"' in r.text
    url = f"{lab.ws_base}{lab.prefix}api/events/subscribe"
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(
            url, **ws_target(url), additional_headers=bearer(lab.owner), proxy=None
        )
    assert refused.value.response.status_code == 503
