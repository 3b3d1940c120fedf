"""Todos in the browser: create, edit, complete, reorder (drag and keyboard), filter, delete."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.conftest import open_list, screenshot_path, todo_titles


def row(page: Page, title: str) -> Locator:
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("button", name=f"Edit title “{title}”")
    )


async def add(page: Page, text: str) -> None:
    await page.get_by_label("New todo").fill(text)
    await page.get_by_label("New todo").press("Enter")
    await expect(page.get_by_label("New todo")).to_have_value("")


async def test_create_edit_complete_and_delete(
    page: Page, api: httpx.AsyncClient, unique: str, request: pytest.FixtureRequest
) -> None:
    await open_list(page, api, f"crud {unique}")

    await add(page, "Buy milk #home !high due:2020-01-01")
    item = row(page, "Buy milk")
    await expect(item).to_contain_text("#home")
    await expect(item).to_contain_text("high priority")
    await expect(item.get_by_text("Overdue")).to_be_visible()

    # Inline title edit: click, type, Enter.
    await page.get_by_role("button", name="Edit title “Buy milk”").click()
    await page.get_by_label("Title of “Buy milk”").fill("Buy oat milk")
    await page.get_by_label("Title of “Buy milk”").press("Enter")
    item = row(page, "Buy oat milk")
    await expect(item).to_be_visible()

    # Notes in markdown, rendered.
    await item.get_by_role("button", name="Show details of “Buy oat milk”").click()
    await item.get_by_role("button", name="Edit notes").click()
    await item.get_by_label("Notes (markdown)").fill("Get **two** cartons\n\n- barista edition")
    await item.get_by_role("button", name="Save notes").click()
    await expect(item.locator(".markdown strong")).to_have_text("two")
    await expect(item.locator(".markdown li")).to_have_text("barista edition")

    # Details: priority and due date.
    await item.get_by_label("Priority").select_option("low")
    await item.get_by_label("Due date").fill("2099-12-31")
    await item.get_by_role("button", name="Save details").click()
    await expect(item).to_contain_text("low priority")
    await expect(item.get_by_text("Overdue")).to_have_count(0)
    await page.screenshot(path=screenshot_path(request, "-details"), full_page=True)

    # Complete, then reopen.
    # (The checkbox's name changes with its state, so click rather than check().)
    await page.get_by_label("Complete “Buy oat milk”").click()
    await expect(page.get_by_label("Reopen “Buy oat milk”")).to_be_checked()
    await expect(item).to_have_class(re.compile(r"\bdone\b"))
    await page.reload()
    await expect(page.get_by_label("Reopen “Buy oat milk”")).to_be_checked()
    await page.get_by_label("Reopen “Buy oat milk”").click()
    await expect(page.get_by_label("Complete “Buy oat milk”")).not_to_be_checked()

    # Delete, with its confirmation.
    item = row(page, "Buy oat milk")
    await item.get_by_role("button", name="Show details of “Buy oat milk”").click()
    await item.get_by_role("button", name="Delete todo").click()
    dialog = page.get_by_role("dialog", name="Delete this todo?")
    await dialog.get_by_role("button", name="Delete todo").click()
    await expect(row(page, "Buy oat milk")).to_have_count(0)
    await expect(page.get_by_text("Nothing to do here")).to_be_visible()


async def test_reorder_by_drag_and_by_keyboard(
    page: Page, api: httpx.AsyncClient, unique: str
) -> None:
    list_id = await open_list(page, api, f"order {unique}")
    for title in ("alpha", "bravo", "charlie"):
        r = await api.post("/api/todos", json={"title": title, "list_id": list_id})
        r.raise_for_status()
    await expect(page.locator(".todo")).to_have_count(3)
    assert await todo_titles(page) == ["alpha", "bravo", "charlie"]

    # Drag charlie's handle above alpha.
    handle = page.get_by_role("button", name="Reorder “charlie”")
    target = row(page, "alpha")
    src, dst = await handle.bounding_box(), await target.bounding_box()
    assert src and dst
    await page.mouse.move(src["x"] + src["width"] / 2, src["y"] + src["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(src["x"] + 5, src["y"] - 10, steps=5)
    await page.mouse.move(dst["x"] + 20, dst["y"] + 4, steps=15)
    await page.mouse.up()
    await expect(page.locator(".todo-title")).to_have_text(["charlie", "alpha", "bravo"])
    await page.reload()
    await expect(page.locator(".todo-title")).to_have_text(["charlie", "alpha", "bravo"])

    # Keyboard: focus bravo, Alt+ArrowUp twice; focus stays on it.
    await row(page, "bravo").focus()
    await page.keyboard.press("Alt+ArrowUp")
    await expect(page.locator(".todo-title")).to_have_text(["charlie", "bravo", "alpha"])
    await expect(row(page, "bravo")).to_be_focused()
    await page.keyboard.press("Alt+ArrowUp")
    await expect(page.locator(".todo-title")).to_have_text(["bravo", "charlie", "alpha"])
    await expect(page.get_by_role("status").filter(has_text="position 1 of 3")).to_be_attached()
    await page.reload()
    await expect(page.locator(".todo-title")).to_have_text(["bravo", "charlie", "alpha"])


async def test_filters_live_in_the_url(page: Page, api: httpx.AsyncClient, unique: str) -> None:
    list_id = await open_list(page, api, f"filters {unique}")
    for body in (
        {"title": "water the plants", "tags": ["home"]},
        {"title": "file taxes", "tags": ["admin"], "due": "2020-01-01"},
        {"title": "water bill", "tags": ["home", "admin"], "completed": True},
    ):
        (await api.post("/api/todos", json={**body, "list_id": list_id})).raise_for_status()
    await expect(page.locator(".todo")).to_have_count(3)

    # Search, from the keyboard shortcut.
    await page.locator("body").press("/")
    await expect(page.get_by_label("Search todos")).to_be_focused()
    await page.keyboard.type("water")
    await expect(page).to_have_url(re.compile(r"[?&]q=water"))
    await expect(page.locator(".todo-title")).to_have_text(["water the plants", "water bill"])

    await page.get_by_label("Show", exact=True).select_option("open")
    await expect(page).to_have_url(re.compile(r"show=open"))
    await expect(page.locator(".todo-title")).to_have_text(["water the plants"])

    # The filtered view is a bookmark: a new tab at the same URL shows the same.
    bookmark = page.url
    other = await page.context.new_page()
    await other.goto(bookmark)
    await expect(other.locator(".todo-title")).to_have_text(["water the plants"])
    await expect(other.get_by_label("Search todos")).to_have_value("water")
    await expect(other.get_by_label("Show", exact=True)).to_have_value("open")
    await other.close()

    # Overdue and tags, straight from a URL.
    await page.goto(f"/todos?list={list_id}&due=overdue")
    await expect(page.locator(".todo-title")).to_have_text(["file taxes"])
    await expect(page.locator(".chip.overdue")).to_have_count(1)
    await page.goto(f"/todos?list={list_id}&tag=home&tag=admin")
    await expect(page.locator(".todo-title")).to_have_text(["water bill"])
    await page.get_by_role("button", name="Reset filters").click()
    await expect(page).to_have_url(re.compile(rf"/todos\?list={list_id}$"))
    await expect(page.locator(".todo")).to_have_count(3)


async def test_clear_completed(page: Page, api: httpx.AsyncClient, unique: str) -> None:
    list_id = await open_list(page, api, f"clear {unique}")
    for title, done in (("keep me", False), ("done one", True), ("done two", True)):
        body = {"title": title, "list_id": list_id, "completed": done}
        (await api.post("/api/todos", json=body)).raise_for_status()
    await expect(page.locator(".todo")).to_have_count(3)
    await page.get_by_role("button", name="Clear completed").click()
    dialog = page.get_by_role("dialog", name="Clear completed todos?")
    await expect(dialog).to_contain_text(f"“clear {unique}”")
    await dialog.get_by_role("button", name="Clear completed").click()
    await expect(
        page.get_by_role("status").filter(has_text="Cleared 2 completed todos")
    ).to_be_visible()
    await expect(page.locator(".todo-title")).to_have_text(["keep me"])


async def test_lists_create_rename_recolour_delete(page: Page, unique: str) -> None:
    await page.goto("/todos")
    await page.get_by_role("button", name="+ New list").click()
    await page.get_by_label("New list name").fill(f"errands {unique}")
    await page.get_by_role("button", name="Create list").click()
    await expect(page.get_by_role("heading", name=f"errands {unique}", level=1)).to_be_visible()
    await add(page, "post office")
    lists = page.get_by_role("navigation", name="Lists")
    await expect(lists.get_by_role("link", name=f"errands {unique}")).to_contain_text("1")

    # A taken name: the api's answer shows next to the field.
    await page.get_by_role("button", name="+ New list").click()
    await page.get_by_label("New list name").fill(f"errands {unique}")
    await page.get_by_role("button", name="Create list").click()
    name_error = page.get_by_role("form", name="New list").locator(".field-error")
    await expect(name_error).to_contain_text("exists")
    await expect(page.get_by_label("New list name")).to_have_attribute("aria-invalid", "true")
    await page.get_by_role("button", name="Cancel").click()

    await lists.get_by_role("button", name=f"Edit list errands {unique}").click()
    await page.get_by_label("List name").fill(f"chores {unique}")
    await page.get_by_label("Colour").fill("#10b981")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("heading", name=f"chores {unique}", level=1)).to_be_visible()

    await lists.get_by_role("button", name=f"Edit list chores {unique}").click()
    await page.get_by_role("button", name="Delete…").click()
    dialog = page.get_by_role("dialog", name=f"Delete list “chores {unique}”?")
    await expect(dialog).to_contain_text("It has 1 todo")
    await dialog.get_by_label("Move them to the Inbox").check()
    await dialog.get_by_role("button", name="Delete list").click()
    await expect(
        page.get_by_role("status").filter(has_text="1 todo moved to the Inbox")
    ).to_be_visible()
    await expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
    await expect(page.locator(".todo-title").filter(has_text="post office").first).to_be_visible()
