"""API tokens: created with the secret shown once (and a copy button), listed, revoked."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect


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
