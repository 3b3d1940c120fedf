"""Notebooks in the browser, on the real worker and Docker: the badge follows the lifecycle live."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import TEST_IMAGE, BrowserServer, screenshot_path

START = 90_000  # ms: a cold start of the small test image takes a few seconds

# Records every status a notebook's badge shows, in order, as the DOM changes.
WATCH_BADGES = """
window.__noReload = true;
window.__statuses = {};
new MutationObserver(() => {
  for (const badge of document.querySelectorAll('article .badge[data-status]')) {
    const name = badge.closest('article').querySelector('h2').textContent;
    const seen = (window.__statuses[name] ??= []);
    if (seen.at(-1) !== badge.dataset.status) seen.push(badge.dataset.status);
  }
}).observe(document.body, { subtree: true, childList: true, attributes: true });
"""


async def test_create_reaches_healthy_live_then_stop(
    page: Page,
    server: BrowserServer,
    docker_ready: None,
    unique: str,
    request: pytest.FixtureRequest,
) -> None:
    name = f"nb-{unique}"
    await page.goto("/notebook-servers")
    await expect(page.get_by_role("heading", name="Notebooks", level=1)).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()
    await page.evaluate(WATCH_BADGES)

    await page.get_by_role("button", name="New notebook").click()
    form = page.get_by_role("form", name="New notebook")
    await form.get_by_label("Name", exact=True).fill(name)
    await form.get_by_label("Image").select_option(TEST_IMAGE)
    await form.get_by_label("Memory (MB)").fill("256")
    await form.get_by_role("button", name="+ Add variable").click()
    await form.get_by_label("Name 1").fill("1BAD")
    await form.get_by_label("Value 1").click()
    await expect(form.get_by_text("not starting with a digit")).to_be_visible()
    await form.get_by_label("Name 1").fill("GREETING")
    await form.get_by_label("Value 1").fill("hello")
    await form.get_by_role("button", name="Create notebook").click()

    card = page.get_by_role("article", name=name)
    badge = card.locator(".badge")
    await expect(badge).to_have_attribute("data-status", "healthy", timeout=START)
    await expect(
        card.get_by_role("list", name="Start progress").locator(".step-done")
    ).to_have_count(4)
    open_link = card.get_by_role("link", name=re.compile(r"^Open"))
    await expect(open_link).to_have_attribute("target", "_blank")
    await expect(open_link).to_have_attribute("href", re.compile(r"^/notebooks/\d+/$"))
    await page.screenshot(path=screenshot_path(request, "-healthy"), full_page=True)
    seen = await page.evaluate(f"window.__statuses[{name!r}]")
    assert seen[-1] == "healthy"
    assert "starting" in seen or "creating" in seen, seen  # phases shown as they happened

    await card.get_by_role("button", name="Stop", exact=True).click()
    await expect(badge).to_have_attribute("data-status", "stopped", timeout=START)
    await expect(card.get_by_role("button", name="Start", exact=True)).to_be_visible()
    assert await page.evaluate("window.__noReload") is True


async def test_logs_follow_and_delete_keeps_the_volume(
    page: Page, server: BrowserServer, docker_ready: None, unique: str
) -> None:
    name = f"logs-{unique}"
    await page.goto("/notebook-servers")
    await page.get_by_role("button", name="New notebook").click()
    form = page.get_by_role("form", name="New notebook")
    await form.get_by_label("Name", exact=True).fill(name)
    await form.get_by_label("Image").select_option(TEST_IMAGE)
    await form.get_by_role("button", name="Create notebook").click()
    card = page.get_by_role("article", name=name)
    await expect(card.locator(".badge")).to_have_attribute("data-status", "healthy", timeout=START)

    await card.get_by_role("link", name="Logs", exact=True).click()
    await expect(page.get_by_role("heading", name=f"Logs of {name}")).to_be_visible()
    await expect(page.get_by_label("Log output")).to_contain_text(
        "testnb listening", timeout=30_000
    )
    await expect(page.get_by_text("Following new lines…")).to_be_visible()

    await page.get_by_role("link", name="← Notebooks").click()
    # Configuration: checked in the form, applied at the next start.
    await card.get_by_role("button", name="Configure").click()
    config = card.get_by_role("form", name=f"Configure {name}")
    await config.get_by_label("Memory (MB)").fill("999999")
    await config.get_by_role("button", name="Save configuration").click()
    await expect(config.get_by_text("MB on this server")).to_be_visible()
    await config.get_by_label("Memory (MB)").fill("320")
    await config.get_by_role("button", name="Save configuration").click()
    await expect(config).to_have_count(0)
    await expect(card).to_contain_text("320 MB")

    await card.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Delete notebook “{name}”?")
    await expect(dialog).to_contain_text("is kept")
    await dialog.get_by_label("Also delete its volume (purge)").check()
    await expect(dialog).to_contain_text("deleted for good")
    await dialog.get_by_label("Also delete its volume (purge)").uncheck()
    await dialog.get_by_role("button", name="Delete notebook, keep volume").click()
    await expect(card).to_have_count(0, timeout=START)
