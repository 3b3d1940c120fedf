"""The hand-off from the dashboard to a notebook's own origin, step by step: a one-time,
seconds-long ticket for that user and notebook, swapped for a signed HttpOnly pass that
is good on that notebook's origin alone, and only while the session it came from is."""

from __future__ import annotations

import asyncio
import contextlib
from http.cookies import Morsel, SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import websockets
from redis.asyncio import Redis

from app.api.security_headers import DASHBOARD_CSP
from app.core.credentials import NOTEBOOK_COOKIE, NotebookPass
from app.core.security import digest
from app.proxy.handoff import TICKET_SECONDS
from app.proxy.notebook_proxy import ACCESS_TTL
from tests.proxy.conftest import Lab
from tests.proxy.test_refusals import ws_status
from tests.support import loopback
from tests.support.environment import PASSWORD, REDIS_TEST_URL, TEST_IMAGE
from workspace.client import AsyncKernel

HTML = {"Accept": "text/html"}


def set_cookies(response: httpx.Response) -> dict[str, Morsel[str]]:
    found = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        found.update({name: cookie[name] for name in cookie})
    return found


async def signed_in(lab: Lab) -> tuple[httpx.AsyncClient, httpx.Response]:
    client = loopback.client(base_url=lab.stack.base_url, timeout=60)
    lab.stack.clients.append(client)
    lab.watch(client)
    r = await client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    r.raise_for_status()
    return client, r


async def test_a_ticket_once_then_a_pass_for_that_notebook_alone(lab: Lab) -> None:
    client, login = await signed_in(lab)
    # The dashboard's cookies are host-only: the browser sends them to no other host.
    for name, dashboard_cookie in set_cookies(login).items():
        assert not dashboard_cookie["domain"], name

    r = await client.get(f"/notebooks/{lab.notebook_id}/lab/tree/x.ipynb", headers=HTML)
    assert r.status_code == 302 and r.headers["cache-control"] == "no-store"
    enter = r.headers["location"]
    assert enter.startswith(f"{lab.url}/_workspace/enter?")
    query = parse_qs(urlsplit(enter).query)
    assert query["next"] == ["/lab/tree/x.ipynb"]
    ticket = query["ticket"][0]
    redis = Redis.from_url(REDIS_TEST_URL)
    try:
        ttl = await redis.ttl(f"workspace:handoff:{digest(ticket)}")
    finally:
        await redis.aclose()
    assert 0 < ttl <= TICKET_SECONDS

    r = await client.get(enter)
    assert r.status_code == 303 and r.headers["location"] == "/lab/tree/x.ipynb"
    cookie = set_cookies(r)[NOTEBOOK_COOKIE]
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/" and not cookie["domain"]
    secret = lab.stack.settings.secret_key.get_secret_value()
    notebook_pass = NotebookPass.read(cookie.value, secret, key=lab.key)
    assert notebook_pass is not None and notebook_pass.key == lab.key

    # Used once: the same link again is refused, and sets nothing.
    again = await client.get(enter, headers=HTML)
    assert again.status_code == 403 and NOTEBOOK_COOKIE not in set_cookies(again)

    r = await client.get(f"{lab.url}/lab", headers=HTML)
    assert r.status_code == 200 and "JupyterLab" in r.text
    for name, jupyter_cookie in set_cookies(r).items():
        assert jupyter_cookie["path"] == "/" and not jupyter_cookie["domain"]
        # Jupyter's own login cookie is a credential for the container: never given out.
        assert not name.startswith("username-")
    assert "frame-ancestors 'self'" in r.headers.get_list("content-security-policy")
    assert "service-worker-allowed" not in r.headers
    # The dashboard's own policy (no inline script, no framing at all) is not JupyterLab's.
    assert DASHBOARD_CSP not in r.headers.get_list("content-security-policy")
    assert "x-frame-options" not in r.headers

    # The pass is this notebook's only: not another's (of the same person), not altered.
    other = (
        await lab.api.post("/api/notebooks", json={"name": "other", "image": TEST_IMAGE})
    ).json()
    bare = loopback.client(timeout=30)
    lab.stack.clients.append(bare)
    cookie_header = {"Cookie": f"{NOTEBOOK_COOKIE}={cookie.value}"}
    r = await bare.get(f"{lab.stack.notebook_url(other['key'])}/api/status", headers=cookie_header)
    assert r.status_code == 401
    session_id, user_id, key, expires, mac = cookie.value.split(".")
    forged = f"{session_id}.{int(user_id) + 1}.{key}.{expires}.{mac}"
    r = await bare.get(f"{lab.url}/api/status", headers={"Cookie": f"{NOTEBOOK_COOKIE}={forged}"})
    assert r.status_code == 401
    assert (await bare.get(f"{lab.url}/api/status", headers=cookie_header)).status_code == 200

    # A ticket for one notebook opens no other, and is spent by trying.
    r = await client.get(f"/notebooks/{lab.notebook_id}/lab", headers=HTML)
    wrong = r.headers["location"].replace(lab.url, lab.stack.notebook_url(other["key"]))
    assert (await bare.get(wrong, headers=HTML)).status_code == 403
    assert (await bare.get(r.headers["location"], headers=HTML)).status_code == 403


async def test_on_a_notebooks_origin_the_api_and_the_feed_are_not_there(lab: Lab) -> None:
    browser = await lab.browser_session()
    xsrf = browser.cookies.get("_xsrf", path="/")
    assert xsrf
    before = (await lab.api.get("/api/tokens")).json()
    r = await browser.post(
        "/api/tokens", json={"name": "stolen"}, headers={"X-XSRFToken": xsrf, "Origin": lab.url}
    )
    assert r.status_code != 201 and "wst_" not in r.text
    assert (await lab.api.get("/api/tokens")).json() == before
    for path in ("/api/notebooks", "/docs", "/openapi.json", "/notebook-servers"):
        r = await browser.get(path)
        assert "WorkSpace" not in r.text and "alice" not in r.text, path
    pass_cookie = {"Cookie": f"{NOTEBOOK_COOKIE}={browser.cookies[NOTEBOOK_COOKIE]}"}
    status = await ws_status(f"{lab.ws_base}/api/events", pass_cookie, origin=lab.url)
    assert status != 101


async def test_signing_out_ends_the_notebooks_pass_and_its_sockets(lab: Lab) -> None:
    browser = await lab.browser_session()
    r = await browser.post(
        "/api/kernels",
        json={"name": "python3"},
        headers={"X-XSRFToken": browser.cookies.get("_xsrf", path="/") or "", "Origin": lab.url},
    )
    assert r.status_code == 201, r.text
    pass_cookie = {"Cookie": f"{NOTEBOOK_COOKIE}={browser.cookies[NOTEBOOK_COOKIE]}"}
    url = f"{lab.ws_base}/api/kernels/{r.json()['id']}/channels"
    kernel = await AsyncKernel.connect(url, pass_cookie, origin=lab.url)
    assert (await kernel.execute("6*7")).result == "42"

    dashboard = browser.cookies.get("workspace_csrf", domain="127.0.0.1")
    r = await browser.post(
        f"{lab.stack.base_url}/api/auth/logout", headers={"X-CSRF-Token": dashboard or ""}
    )
    assert r.status_code == 204

    async def closed() -> int | None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for _ in kernel.connection:
                pass
        return kernel.connection.close_code

    assert await asyncio.wait_for(closed(), 10) == 1008
    await asyncio.sleep(ACCESS_TTL + 0.2)
    assert (await browser.get("/api/status")).status_code == 401


async def test_the_hand_off_sends_the_browser_nowhere_else(lab: Lab) -> None:
    client, _ = await signed_in(lab)
    # Only navigations are handed over: a form posted at an old link does nothing.
    csrf = {"X-CSRF-Token": client.cookies.get("workspace_csrf") or ""}
    r = await client.post(f"/notebooks/{lab.notebook_id}/api/contents", headers=csrf)
    assert r.status_code == 405 and "location" not in r.headers
    for elsewhere in ("//evil.example/x", "/\\evil.example", "http://evil.example/", "lab"):
        r = await client.get(f"/notebooks/{lab.notebook_id}/lab", headers=HTML)
        enter = urlsplit(r.headers["location"])
        ticket = parse_qs(enter.query)["ticket"][0]
        query = urlencode({"ticket": ticket, "next": elsewhere})
        r = await client.get(f"{lab.url}{enter.path}?{query}")
        assert r.status_code == 303 and r.headers["location"] == "/", (elsewhere, r.headers)
