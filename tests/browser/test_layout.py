"""Usable at 375 px wide, in the system's dark scheme too, and with the keyboard alone."""

from __future__ import annotations

from typing import Literal

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import (
    PHONE,
    ContextFactory,
    docker_available,
    open_list,
    screenshot_path,
)

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_pages_fit_a_phone(
    new_context: ContextFactory,
    api: httpx.AsyncClient,
    unique: str,
    scheme: Literal["light", "dark"],
    request: pytest.FixtureRequest,
) -> None:
    context = await new_context(viewport=PHONE, color_scheme=scheme)
    page = await context.new_page()
    list_id = await open_list(page, api, f"phone {unique}")
    for body in (
        {"title": "A rather long todo title that has to wrap on a small screen", "tags": ["home"]},
        {"title": "call the plumber", "due": "2020-02-02", "priority": "high"},
        {"title": "done already", "completed": True},
    ):
        (await api.post("/api/todos", json={**body, "list_id": list_id})).raise_for_status()
    await expect(page.locator(".todo")).to_have_count(3)
    await page.get_by_role("button", name="Show details of “call the plumber”").click()
    assert await page.evaluate(OVERFLOW) <= 0
    await page.screenshot(path=screenshot_path(request, "-todos"), full_page=True)

    has_docker = await docker_available(api)
    await page.get_by_role("link", name="Notebooks").click()
    await expect(page.get_by_role("heading", name="Notebooks", level=1)).to_be_visible()
    if has_docker:
        await page.get_by_role("button", name="New notebook").click()
        await page.get_by_role("button", name="+ Add variable").click()
        await page.get_by_label("Name 1").fill("API_KEY")
    else:
        await expect(page.get_by_text("Notebooks are unavailable")).to_be_visible()
    assert await page.evaluate(OVERFLOW) <= 0
    await page.screenshot(path=screenshot_path(request, "-notebooks"), full_page=True)

    await page.get_by_role("link", name="Settings").click()
    await expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    assert await page.evaluate(OVERFLOW) <= 0


async def test_keyboard_shortcuts(page: Page, api: httpx.AsyncClient, unique: str) -> None:
    await open_list(page, api, f"keys {unique}")
    await page.locator("body").press("n")
    await expect(page.get_by_label("New todo")).to_be_focused()
    await page.keyboard.type("first")
    await page.keyboard.press("Enter")
    await page.keyboard.type("second")
    await page.keyboard.press("Enter")
    await expect(page.locator(".todo")).to_have_count(2)
    await page.keyboard.press("Escape")

    # j focuses the first todo, x completes it, e edits the title.
    await page.keyboard.press("j")
    await expect(page.locator(".todo").first).to_be_focused()
    await page.keyboard.press("x")
    await expect(page.get_by_label("Reopen “first”")).to_be_checked()
    await page.keyboard.press("j")
    await page.keyboard.press("e")
    await expect(page.get_by_label("Title of “second”")).to_be_focused()
    await page.keyboard.type("second, renamed")
    await page.keyboard.press("Enter")
    await expect(page.locator(".todo-title").nth(1)).to_have_text("second, renamed")

    await page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(help_dialog).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(help_dialog).to_be_hidden()

    await page.keyboard.press("g")
    await page.keyboard.press("s")
    await expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
