"""Live updates: what one tab does shows in another at once, without a reload."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, WebSocketRoute, expect

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


async def test_offline_shows_and_reconnecting_catches_up(
    page: Page, api: httpx.AsyncClient, unique: str
) -> None:
    """The feed drops (the network, a restart): the page says so, retries, and on reconnect
    shows what changed while it was away."""
    offline = False
    sockets: list[WebSocketRoute] = []

    async def feed(ws: WebSocketRoute) -> None:
        if offline:
            await ws.close(code=4000, reason="offline")
            return
        sockets.append(ws)
        ws.connect_to_server()

    await page.route_web_socket(re.compile(r"/api/events$"), feed)
    list_id = await open_list(page, api, f"offline {unique}")
    live = page.get_by_role("status").filter(has_text=re.compile("^(Live|Offline|Connecting)"))
    await expect(live).to_have_text("Live")

    offline = True
    await sockets[-1].close(code=4000, reason="offline")
    await expect(live).to_contain_text("Offline")
    await expect(live).to_contain_text("reconnecting")
    # Changed while the page cannot hear about it.
    r = await api.post("/api/todos", json={"title": "made while offline", "list_id": list_id})
    r.raise_for_status()
    await page.wait_for_timeout(1500)
    await expect(page.locator(".todo-title")).to_have_count(0)

    offline = False
    await expect(live).to_have_text("Live", timeout=15_000)
    await expect(page.locator(".todo-title")).to_have_text(["made while offline"])
