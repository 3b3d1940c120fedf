"""The OpenAPI docs page works with no internet access: its assets come from the api."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import Page, Route, expect

from tests.browser.conftest import BrowserServer


async def test_docs_render_their_operations_offline(page: Page, server: BrowserServer) -> None:
    ours = urlsplit(server.url).netloc
    outside: list[str] = []

    async def only_ours(route: Route) -> None:
        if urlsplit(route.request.url).netloc == ours:
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    await page.context.route("**/*", only_ours)
    await page.goto("/docs")
    await expect(page.get_by_role("heading", name="WorkSpace")).to_be_visible()
    operations = page.locator(".opblock")
    await expect(operations.first).to_be_visible()
    assert await operations.count() > 10
    await expect(page.get_by_text("/api/todos", exact=True).first).to_be_visible()
    assert outside == [], f"the docs page asked for outside resources: {outside}"
