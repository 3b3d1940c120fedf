"""Settings: API tokens (secret shown once, scope, expiry), sessions to see and sign out, the
password, tags."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from tests.browser.conftest import BrowserServer, ContextFactory
from tests.support.processes import process_env


async def test_create_copy_and_revoke_a_token(page: Page, server: object, unique: str) -> None:
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await page.goto("/settings")
    await page.get_by_label("Token name").fill(f"script {unique}")
    await page.get_by_role("button", name="Create token").click()

    secret = page.get_by_label("New token secret")
    await expect(secret).to_be_visible()
    token = await secret.input_value()
    assert token.startswith("wst_")
    await page.get_by_role("button", name="Copy").click()
    await expect(page.get_by_text("Copied to the clipboard.")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == token

    # The token works for scripts.
    async with httpx.AsyncClient(base_url=page.url.split("/settings")[0]) as client:
        me = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200

    await page.get_by_role("button", name="Done").click()
    await expect(secret).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=f"script {unique}")
    await expect(row).to_contain_text(token[:8])
    await row.get_by_role("button", name=f"Revoke script {unique}").click()
    await page.get_by_role("dialog").get_by_role("button", name="Revoke token").click()
    await expect(row).to_have_count(0)
    async with httpx.AsyncClient(base_url=page.url.split("/settings")[0]) as client:
        me = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 401


async def test_rename_and_delete_a_tag(page: Page, api: httpx.AsyncClient, unique: str) -> None:
    r = await api.post("/api/todos", json={"title": f"tagged {unique}", "tags": [f"old{unique}"]})
    r.raise_for_status()
    await page.goto("/settings")
    form = page.get_by_role("form", name=f"Tag old{unique}")
    await form.get_by_label(f"Name of tag old{unique}").fill(f"new{unique}")
    await form.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("form", name=f"Tag new{unique}")).to_be_visible()

    await page.goto(f"/todos?list=all&q=tagged+{unique}")
    await expect(page.locator(".todo .chip.tag")).to_have_text([f"#new{unique}"])

    await page.goto("/settings")
    form = page.get_by_role("form", name=f"Tag new{unique}")
    await form.get_by_role("button", name=f"Delete tag new{unique}").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete tag").click()
    await expect(form).to_have_count(0)


def _create_user(server: BrowserServer, username: str, password: str) -> None:
    cli = Path(sys.executable).parent / "workspace"
    subprocess.run(
        [str(cli), "admin", "create-user", username],
        input=password + "\n",
        text=True,
        check=True,
        env=process_env(server.settings),
        capture_output=True,
    )


async def _sign_in(page: Page, username: str, password: str) -> None:
    await page.goto("/signin?next=/settings")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()


async def test_see_the_sessions_and_sign_one_out(
    new_context: ContextFactory, server: BrowserServer, unique: str
) -> None:
    username, password = f"sessions{unique}", "sessions-password"
    await asyncio.to_thread(_create_user, server, username, password)
    page = await (await new_context(signed_in=False)).new_page()
    await _sign_in(page, username, password)
    async with httpx.AsyncClient(base_url=server.url, headers={"User-Agent": "curl/8.5"}) as other:
        r = await other.post("/api/auth/login", json={"username": username, "password": password})
        r.raise_for_status()
        await page.reload()
        sessions = page.get_by_role("table", name="Sessions")
        await expect(sessions.get_by_role("row")).to_have_count(3)  # the header and two
        await expect(sessions).to_contain_text("this browser")
        await (
            sessions.get_by_role("row")
            .filter(has_text="curl/8.5")
            .get_by_role("button", name="Sign out")
            .click()
        )
        await expect(sessions.get_by_role("row")).to_have_count(2)
        assert (await other.get("/api/me")).status_code == 401


async def test_change_the_password(
    new_context: ContextFactory, server: BrowserServer, unique: str
) -> None:
    username, password = f"password{unique}", "first-password"
    await asyncio.to_thread(_create_user, server, username, password)
    page = await (await new_context(signed_in=False)).new_page()
    await _sign_in(page, username, password)
    form = page.get_by_role("form", name="Change password")
    await form.get_by_label("Current password").fill("not-the-password")
    await form.get_by_label("New password", exact=True).fill("second-password")
    await form.get_by_label("New password again").fill("second-password")
    await form.get_by_role("button", name="Change password").click()
    await expect(form.get_by_role("alert")).to_contain_text("not your current password")

    await form.get_by_label("Current password").fill(password)
    await form.get_by_role("button", name="Change password").click()
    await expect(page.get_by_role("status").filter(has_text="Password changed")).to_be_visible()
    async with httpx.AsyncClient(base_url=server.url) as client:
        old = {"username": username, "password": password}
        assert (await client.post("/api/auth/login", json=old)).status_code == 401
        new = {"username": username, "password": "second-password"}
        assert (await client.post("/api/auth/login", json=new)).status_code == 200
