"""Nothing from the XSS corpus runs on the public page: checked in Chromium with a listener
for Content-Security-Policy violations and one for dialogs (alert, confirm, prompt)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, async_playwright

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from tests.blog.notebooks import as_bytes, hostile_notebook
from tests.blog.xss import MARKDOWN_CORPUS
from tests.support.chromium import launch_chromium
from tests.support.environment import PASSWORD
from tests.support.processes import api_service, free_port, token_for, wait_http

LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
FIRE = """() => document.querySelectorAll('*').forEach((el) => {
  for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error']) {
    el.dispatchEvent(new Event(type));
  }
})"""
HANDLERS = """() => [...document.querySelectorAll('*')].flatMap((el) =>
  [...el.attributes].filter((a) => a.name.startsWith('on') || a.value.includes('javascript:'))
    .map((a) => el.tagName + ' ' + a.name))"""


@pytest.fixture
async def site(settings: Settings) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    engine = make_engine(settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        await users.create_user(db, "mallory", PASSWORD)
    await engine.dispose()
    port = free_port()
    api = api_service(settings, port)
    await api.start()
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            await wait_http(f"{base}/api/health", timeout=60)
        except TimeoutError:
            raise AssertionError(f"the api did not start:\n{api.output()}") from None
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            client.headers["Authorization"] = (
                f"Bearer {await token_for(client, 'mallory', PASSWORD)}"
            )
            yield base, client
    finally:
        await api.stop()


async def publish(client: httpx.AsyncClient, post: dict[str, Any]) -> str:
    r = await client.patch(post["url"], json={"version": post["version"], "status": "published"})
    assert r.status_code == 200, r.text
    return str(r.json()["slug"])


async def visit(page: Page, url: str) -> list[str]:
    response = await page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    # Give handlers a chance to fire: every element is hovered, focused and toggled.
    await page.evaluate(FIRE)
    handlers: list[str] = await page.evaluate(HANDLERS)
    return handlers


async def test_nothing_in_the_corpus_executes_on_the_public_page(
    site: tuple[str, httpx.AsyncClient],
) -> None:
    base, client = site
    r = await client.post(
        "/api/posts",
        json={
            "title": "Corpus <script>alert(0)</script>",
            "body": "\n\n".join(MARKDOWN_CORPUS),
            "tags": ["<b onclick=alert(9)>x"],
        },
    )
    assert r.status_code == 201, r.text
    markdown_slug = await publish(client, r.json())
    r = await client.post(
        "/api/posts/notebooks/upload", files={"file": ("x.ipynb", as_bytes(hostile_notebook()))}
    )
    assert r.status_code == 201, r.text
    notebook_post = r.json()
    notebook_slug = await publish(client, notebook_post)
    r = await client.post(
        "/api/posts",
        json={"title": "Embed", "body": f"```notebook-cell {notebook_post['id']}/answer\n```"},
    )
    embed_slug = await publish(client, r.json())

    dialogs: list[str] = []
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            page = await browser.new_page()
            await page.add_init_script(LISTEN)

            async def on_dialog(dialog: Any) -> None:
                dialogs.append(dialog.message)
                await dialog.dismiss()

            page.on("dialog", on_dialog)
            paths = [
                f"/blog/{markdown_slug}",
                f"/blog/{notebook_slug}",
                f"/blog/{embed_slug}",
                "/blog",
                "/blog/search?q=alert",
                "/blog/tags/b-onclick-alert-9-x",
            ]
            for path in paths:
                assert await visit(page, base + path) == [], path
                if path == f"/blog/{embed_slug}":
                    assert "forty-two" in await page.content()
                assert await page.evaluate("window.__violations") == [], path
            assert dialogs == []
            # The listeners work: a script injected after the fact is refused by the CSP,
            # and reported.
            await page.goto(base + f"/blog/{markdown_slug}")
            await page.evaluate(
                "() => { const s = document.createElement('script');"
                " s.textContent = 'alert(1)'; document.body.append(s); }"
            )
            await page.wait_for_function("window.__violations.length > 0")
            assert dialogs == []
        finally:
            await browser.close()
