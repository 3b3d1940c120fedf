"""The home page: today's todos, running notebooks and posts, each kept current by the live feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import (
    PASSWORD,
    PHONE,
    TEST_IMAGE,
    USERNAME,
    ContextFactory,
    screenshot_path,
)

START = 90_000  # ms: a cold start of the small test image takes a few seconds
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


async def test_sign_in_lands_on_home(new_context: ContextFactory) -> None:
    context = await new_context(signed_in=False)
    page = await context.new_page()
    await page.goto("/signin")
    await page.get_by_label("Username").fill(USERNAME)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Today")).to_be_visible()
    assert page.url.endswith("/")
    # The other tools keep their addresses.
    await page.get_by_role("link", name="All todos →").click()
    await expect(page.get_by_role("heading", name="All todos", level=1)).to_be_visible()


async def test_home_updates_live(
    page: Page,
    api: httpx.AsyncClient,
    docker_ready: None,
    unique: str,
    request: pytest.FixtureRequest,
) -> None:
    await page.goto("/")
    await expect(page.get_by_role("status").filter(has_text="Live")).to_have_text("Live")
    await page.evaluate("window.__noReload = true")
    today = page.get_by_role("region", name="Today")
    notebooks = page.get_by_role("region", name="Running notebooks")
    posts = page.get_by_role("region", name="Posts")

    # A todo due today, made through the API, appears; the quick add here adds one for today.
    r = await api.post(
        "/api/todos", json={"title": f"api todo {unique}", "due": str(dt.date.today())}
    )
    r.raise_for_status()
    await expect(today.get_by_text(f"api todo {unique}")).to_be_visible()
    await today.get_by_label("New todo").fill(f"typed here {unique} !high")
    await today.get_by_label("New todo").press("Enter")
    await expect(today.get_by_text(f"typed here {unique}")).to_be_visible()
    typed = (await api.get("/api/todos", params={"q": f"typed here {unique}"})).json()["data"]
    assert [(t["due"], t["priority"]) for t in typed] == [(str(dt.date.today()), "high")]
    # Completed elsewhere: it leaves today's list.
    todo_id = r.json()["id"]
    (await api.patch(f"/api/todos/{todo_id}", json={"completed": True})).raise_for_status()
    await expect(today.get_by_text(f"api todo {unique}")).to_have_count(0)

    # A draft and a published post appear in their lists.
    r = await api.post("/api/posts", json={"title": f"home draft {unique}", "body": "x"})
    r.raise_for_status()
    draft = r.json()
    await expect(posts.get_by_role("list", name="Drafts")).to_contain_text(f"home draft {unique}")
    published = {"version": draft["version"], "status": "published"}
    (await api.patch(f"/api/posts/{draft['id']}", json=published)).raise_for_status()
    await expect(posts.get_by_role("list", name="Latest published")).to_contain_text(
        f"home draft {unique}"
    )
    await expect(posts.get_by_text(f"home draft {unique}")).to_have_count(1)

    # A notebook started through the API shows up and its badge follows its status.
    name = f"home-nb-{unique}"
    body: dict[str, Any] = {"name": name, "image": TEST_IMAGE, "memory_mb": 256}
    r = await api.post("/api/notebooks", json=body)
    r.raise_for_status()
    notebook_id = r.json()["id"]
    item = notebooks.locator(f"[data-notebook-id='{notebook_id}']")
    await expect(item).to_contain_text(name)
    await expect(item.locator(".badge")).to_have_attribute("data-status", "healthy", timeout=START)
    await expect(item.get_by_role("link", name=f"Open {name} in a new tab")).to_be_visible()
    await page.screenshot(path=screenshot_path(request, "-running"), full_page=True)
    (await api.post(f"/api/notebooks/{notebook_id}/stop")).raise_for_status()
    await expect(item).to_have_count(0, timeout=START)
    await expect(notebooks.get_by_text("No notebook is running.")).to_be_visible()
    (await api.delete(f"/api/notebooks/{notebook_id}", params={"purge": True})).raise_for_status()

    assert await page.evaluate("window.__noReload") is True


async def test_home_fits_a_phone(
    new_context: ContextFactory, api: httpx.AsyncClient, unique: str, request: pytest.FixtureRequest
) -> None:
    context = await new_context(viewport=PHONE)
    page = await context.new_page()
    for title in (f"an overdue todo with a long title to wrap {unique}", f"due today {unique}"):
        due = "2020-01-01" if "overdue" in title else str(dt.date.today())
        (await api.post("/api/todos", json={"title": title, "due": due})).raise_for_status()
    (await api.post("/api/posts", json={"title": f"a phone draft {unique}"})).raise_for_status()
    await page.goto("/")
    await expect(page.get_by_text(f"due today {unique}")).to_be_visible()
    await expect(page.get_by_text(f"a phone draft {unique}")).to_be_visible()
    assert await page.evaluate(OVERFLOW) <= 0
    await page.screenshot(path=screenshot_path(request, "-phone"), full_page=True)
