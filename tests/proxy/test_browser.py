"""JupyterLab in headless Chromium through the proxy: sign in, open, run a cell, see 42.

Signs in through the API in the browser context (the session cookie lands in the context),
so it needs no dashboard build. Saves test-results/screenshots/proxy-jupyterlab.png.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Request, Response, async_playwright, expect

from tests.proxy.conftest import Lab
from tests.support.chromium import launch_chromium
from tests.support.environment import PASSWORD, ROOT

SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            yield browser
        finally:
            await browser.close()


async def test_jupyterlab_runs_a_cell_through_the_proxy(lab: Lab, chromium: Browser) -> None:
    context = await chromium.new_context(
        base_url=lab.stack.base_url, viewport={"width": 1280, "height": 860}
    )
    leaks: list[str] = []
    failures: list[str] = []

    async def check(response: Response) -> None:
        # Every response the browser gets, headers and (text) bodies: never the token.
        headers = await response.all_headers()
        if any(lab.jupyter_token in v for v in headers.values()):
            leaks.append(f"header of {response.url}")
        if response.status >= 500 or response.status in (401, 403):
            failures.append(f"{response.status} {response.request.method} {response.url}")
        if response.status < 300 and response.request.method != "HEAD":
            try:
                body = await response.body()
            except Exception:  # streamed or aborted (e.g. a navigation replaced it)
                return
            if lab.jupyter_token.encode() in body:
                leaks.append(f"body of {response.url}")

    sent_token: list[str] = []

    def outgoing(request: Request) -> None:
        if "token" in (request.headers.get("authorization") or "").lower():
            sent_token.append(request.url)

    try:
        r = await context.request.post(
            "/api/auth/login", data={"username": "alice", "password": PASSWORD}
        )
        assert r.ok, await r.text()
        page = await context.new_page()
        page.on("response", check)
        page.on("request", outgoing)

        await page.goto(f"{lab.prefix}lab")
        # The launcher's "Python 3 (ipykernel)" card in its Notebook section.
        card = page.locator('.jp-LauncherCard[data-category="Notebook"]').first
        await expect(card).to_be_visible(timeout=60_000)
        await card.click()
        editor = page.locator(".jp-NotebookPanel .jp-Cell .cm-content").first
        await expect(editor).to_be_visible(timeout=30_000)
        # The kernel is connected when the status bar says Idle.
        await expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=60_000)
        await editor.click()
        await page.keyboard.type("print(6*7)")
        await expect(editor).to_have_text("print(6*7)")
        await page.keyboard.press("Shift+Enter")
        output = page.locator(".jp-NotebookPanel .jp-OutputArea-output").first
        await expect(output).to_have_text("42", timeout=60_000)
        # Saving goes through the contents API with JupyterLab's X-XSRFToken header.
        await page.keyboard.press("Control+s")
        await page.get_by_role("button", name="Rename and Save").click()
        await expect(page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0)
    finally:
        if context.pages:  # the page as it ended, passed or failed
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await context.pages[0].screenshot(path=str(SCREENSHOTS / "proxy-jupyterlab.png"))
        await context.close()

    assert leaks == [], leaks
    assert sent_token == [], "JupyterLab learnt a token and sent it"
    assert failures == [], failures
    saved = (await lab.owner.get(f"{lab.prefix}api/contents/Untitled.ipynb")).json()
    first = saved["content"]["cells"][0]
    assert first["source"] == "print(6*7)"
    assert first["outputs"][0]["text"] == "42\n"
