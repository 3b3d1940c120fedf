"""Live updates: what one tab does shows in another at once, without a reload."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests.browser.conftest import open_list


async def test_a_second_tab_sees_a_new_todo_appear(
    page: Page, api: httpx.AsyncClient, unique: str
) -> None:
    list_id = await open_list(page, api, f"live {unique}")
    second = await page.context.new_page()
    await second.goto(f"/todos?list={list_id}")
    await expect(second.get_by_text("Nothing to do here")).to_be_visible()
    await expect(second.get_by_role("status").filter(has_text="Live")).to_be_visible()
    # A marker that a reload would wipe out.
    await second.evaluate("window.__noReload = true")

    await page.get_by_label("New todo").fill("appears everywhere")
    await page.get_by_label("New todo").press("Enter")

    await expect(second.locator(".todo-title")).to_have_text(["appears everywhere"])
    # Completing it in the first tab shows in the second too.
    await page.get_by_label("Complete “appears everywhere”").click()
    await expect(second.get_by_label("Reopen “appears everywhere”")).to_be_checked()
    assert await second.evaluate("window.__noReload") is True
