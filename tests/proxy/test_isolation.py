"""A script in a real JupyterLab page (a cell's output, a package's widget, a planted
extension) reaches nothing beyond its own notebook: not the dashboard's cookies, not /api
with the person's authority, not another notebook of theirs or anyone's, and its service
workers control no dashboard page. Run in Chromium, which resolves `*.localhost` itself.
"""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, Response, expect

from tests.proxy.conftest import Lab
from tests.support.environment import PASSWORD, TEST_IMAGE

ATTACK = """async ({dashboard, sibling, stranger}) => {
  const out = {};
  const attempt = async (url, init) => {
    try {
      const r = await fetch(url, init);
      return `${r.status} ${r.type} ${(await r.text()).slice(0, 80)}`;
    } catch (e) {
      return `refused: ${e.name}`;
    }
  };
  out.cookies = document.cookie;
  const xsrf = decodeURIComponent((document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || "");
  const stolen = JSON.stringify({name: "stolen"});
  const json = {"Content-Type": "application/json"};
  // Same host: WorkSpace's /api is not served on a notebook's origin.
  out.sameHost = await attempt("/api/tokens",
    {method: "POST", headers: {...json, "X-XSRFToken": xsrf}, body: stolen});
  // The dashboard's origin, with the browser's credentials.
  out.cors = await attempt(dashboard + "/api/tokens",
    {method: "POST", credentials: "include", headers: json, body: stolen});
  out.simple = await attempt(dashboard + "/api/tokens",
    {method: "POST", credentials: "include", mode: "no-cors",
     headers: {"Content-Type": "text/plain"}, body: stolen});
  out.read = await attempt(dashboard + "/api/me", {credentials: "include"});
  out.feed = await new Promise(resolve => {
    const ws = new WebSocket(dashboard.replace("http", "ws") + "/api/events");
    ws.onmessage = m => resolve("message: " + String(m.data).slice(0, 80));
    ws.onclose = e => resolve("closed " + e.code);
  });
  // A form, the one cross-site POST a browser sends without asking CORS.
  out.form = await new Promise(resolve => {
    const frame = document.createElement("iframe");
    frame.name = "sink";
    frame.onload = () => resolve("submitted");
    document.body.appendChild(frame);
    const form = document.createElement("form");
    form.method = "POST";
    form.action = dashboard + "/api/tokens";
    form.enctype = "text/plain";
    form.target = "sink";
    const field = document.createElement("input");
    field.name = '{"name": "stolen", "x": "';
    field.value = '"}';
    form.appendChild(field);
    document.body.appendChild(form);
    form.submit();
  });
  // The person's other notebook (they hold its pass too) and someone else's.
  out.sibling = await attempt(sibling + "/api/status", {credentials: "include"});
  out.siblingBlind = await attempt(sibling + "/api/status",
    {credentials: "include", mode: "no-cors"});
  out.stranger = await attempt(stranger + "/api/status", {credentials: "include"});
  return out;
}"""

SERVICE_WORKER = """async () => {
  const xsrf = decodeURIComponent((document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || "");
  const script = "self.addEventListener('fetch', e => e.respondWith(new Response(" +
    "'hijacked', {headers: {'Content-Type': 'text/html'}})));";
  await fetch("/api/contents/sw.js", {method: "PUT",
    headers: {"Content-Type": "application/json", "X-XSRFToken": xsrf},
    body: JSON.stringify({type: "file", format: "text", content: script})});
  const out = {};
  try {
    await navigator.serviceWorker.register("/files/sw.js", {scope: "/"});
    out.root = "registered";
  } catch (e) {
    out.root = "refused: " + e.name;
  }
  const registration = await navigator.serviceWorker.register("/files/sw.js", {scope: "/files/"});
  const worker = registration.installing || registration.waiting || registration.active;
  await new Promise(resolve => {
    if (worker.state === "activated") return resolve();
    worker.addEventListener("statechange", () => worker.state === "activated" && resolve());
  });
  out.files = "registered";
  return out;
}"""


async def signed_in(chromium: Browser, lab: Lab, username: str = "alice") -> BrowserContext:
    context = await chromium.new_context(base_url=lab.stack.base_url)
    r = await context.request.post(
        "/api/auth/login", data={"username": username, "password": PASSWORD}
    )
    assert r.ok, await r.text()
    return context


async def started(client: Any, name: str) -> dict[str, Any]:
    """Another, small notebook, healthy."""
    r = await client.post("/api/notebooks", json={"name": name, "image": TEST_IMAGE})
    assert r.status_code == 202, r.text
    notebook: dict[str, Any] = r.json()
    for _ in range(600):
        if (await client.get(f"/api/notebooks/{notebook['id']}")).json()["status"] == "healthy":
            return notebook
        await asyncio.sleep(0.1)
    raise AssertionError(f"notebook {name} never became healthy")


async def open_lab(page: Page, lab: Lab) -> None:
    await page.goto(f"/notebooks/{lab.notebook_id}/lab")
    assert page.url.startswith(f"{lab.url}/lab"), page.url
    launcher = page.locator('.jp-LauncherCard[data-category="Notebook"]').first
    await expect(launcher).to_be_visible(timeout=60_000)


async def tokens(lab: Lab) -> list[str]:
    return [t["name"] for t in (await lab.api.get("/api/tokens")).json()]


async def test_a_script_in_jupyterlab_reaches_nothing_beyond_its_notebook(
    lab: Lab, chromium: Browser
) -> None:
    bob = await lab.stack.user("bob")
    sibling = await started(lab.api, "sibling")
    stranger = await started(bob, "strangers")
    before = await tokens(lab)
    context = await signed_in(chromium, lab)
    seen: dict[str, list[int]] = {}

    def record(response: Response) -> None:
        seen.setdefault(response.url, []).append(response.status)

    try:
        # The person holds a pass for their other notebook too (they opened it before).
        other = await context.new_page()
        await other.goto(f"/notebooks/{sibling['id']}/api/status")
        assert "started" in await other.content()
        page = await context.new_page()
        page.on("response", record)
        await open_lab(page, lab)

        out = await page.evaluate(
            ATTACK,
            {
                "dashboard": lab.stack.base_url,
                "sibling": lab.stack.notebook_url(sibling["key"]),
                "stranger": lab.stack.notebook_url(stranger["key"]),
            },
        )
        dashboard_cookies = await context.cookies(lab.stack.base_url)
        assert {c["name"] for c in dashboard_cookies} >= {"workspace_session", "workspace_csrf"}
    finally:
        await context.close()

    # The dashboard's cookies are host-only: none reaches the notebook's origin; its own
    # pass is HttpOnly.
    assert "workspace_" not in out["cookies"], out["cookies"]
    # Same host: Jupyter's own API answers (it has no /api/tokens), never WorkSpace's.
    assert not out["sameHost"].startswith("201"), out
    # Cross-origin: unreadable, and sent without the session (SameSite) or refused.
    assert out["cors"] == "refused: TypeError" and out["read"] == "refused: TypeError", out
    assert out["simple"].startswith("0 opaque"), out
    assert out["feed"].startswith("closed"), out
    assert out["form"] == "submitted"
    assert await tokens(lab) == before, "a token was created"
    # Other notebooks: unreadable, and the person's own other one refused by the proxy
    # (its pass came along, as it is the same site).
    assert out["sibling"] == "refused: TypeError" and out["stranger"] == "refused: TypeError"
    sibling_url = f"{lab.stack.notebook_url(sibling['key'])}/api/status"
    stranger_url = f"{lab.stack.notebook_url(stranger['key'])}/api/status"
    assert seen.get(sibling_url) and set(seen[sibling_url]) == {403}, seen
    # Someone else's notebook: the browser holds no pass for it (Chromium reports no
    # response for its 401 to a credentialed cross-origin fetch, or a 401).
    assert set(seen.get(stranger_url, [401])) == {401}, seen


async def test_a_service_worker_of_a_notebook_controls_no_dashboard_page(
    lab: Lab, chromium: Browser
) -> None:
    context = await signed_in(chromium, lab)
    try:
        page = await context.new_page()
        await open_lab(page, lab)
        registered = await page.evaluate(SERVICE_WORKER)
        # A scope wider than the script's folder needs Service-Worker-Allowed: never sent.
        assert registered["root"].startswith("refused"), registered
        assert registered["files"] == "registered"
        # It works where it may (so it was really there)…
        controlled = await context.new_page()
        await controlled.goto(f"{lab.url}/files/anything")
        assert "hijacked" in await controlled.content()
        # …and controls no dashboard page: another origin altogether.
        dashboard = await context.new_page()
        await dashboard.goto("/api/health")
        assert "hijacked" not in await dashboard.content()
        assert await dashboard.evaluate("navigator.serviceWorker.controller") is None
        assert (
            await dashboard.evaluate(
                "navigator.serviceWorker.getRegistrations().then(r => r.length)"
            )
            == 0
        )
    finally:
        await context.close()
