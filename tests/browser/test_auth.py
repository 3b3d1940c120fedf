"""Signing in and out, and coming back to where one was when a session ends."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import PASSWORD, USERNAME, ContextFactory


async def test_sign_in_goes_back_to_the_page_asked_for(new_context: ContextFactory) -> None:
    context = await new_context(signed_in=False)
    page = await context.new_page()
    await page.goto("/todos?list=all&show=open")
    await expect(page).to_have_url(re.compile(r"/signin\?next="))

    await page.get_by_label("Username").fill(USERNAME)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("wrong username or password")

    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(re.compile(r"/todos\?list=all&show=open$"))
    await expect(page.get_by_role("heading", name="All todos")).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()


async def test_sign_out(new_context: ContextFactory) -> None:
    context = await new_context(signed_in=False)
    page = await context.new_page()
    await page.goto("/signin")
    await page.get_by_label("Username").fill(USERNAME)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Today")).to_be_visible()

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(re.compile(r"/signin$"))
    await page.goto("/settings")
    await expect(page).to_have_url(re.compile(r"/signin\?next=%2Fsettings$"))


async def test_an_ended_session_signs_in_again_and_returns(new_context: ContextFactory) -> None:
    context = await new_context(signed_in=False)
    await context.request.post("/api/auth/login", data={"username": USERNAME, "password": PASSWORD})
    page = await context.new_page()
    await page.goto("/todos?list=all&q=nothing-matches")
    await expect(page.get_by_role("heading", name="All todos")).to_be_visible()
    # Every first-load request answered: one still out when the session ends would meet the
    # 401 first and send the page to sign in before the person types anything.
    await page.wait_for_load_state("networkidle")

    # The session ends on the server (as when it expires); the page still thinks it is in.
    csrf = next(c["value"] for c in await context.cookies() if c["name"] == "workspace_csrf")
    await context.request.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    await context.add_cookies([{"name": "workspace_csrf", "value": csrf, "url": page.url}])
    await page.get_by_label("New todo").fill("written after the session ended")
    await page.get_by_role("button", name="Add", exact=True).click()

    await expect(page).to_have_url(re.compile(r"/signin\?next="))
    await page.get_by_label("Username").fill(USERNAME)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(re.compile(r"/todos\?list=all&q=nothing-matches$"))
