"""The admin pages: visible in the navigation to admins only; users created (password shown
once), disabled, promoted and deleted; every notebook listed and stopped; settings show
which value wins; the audit log lists what was done."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Page, expect

from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from tests.browser.conftest import (
    TEST_IMAGE,
    BrowserServer,
    ContextFactory,
    docker_available,
    screenshot_path,
)

ADMIN_PASSWORD = "an-admin-password-for-tests"


@pytest.fixture
async def admin_name(server: BrowserServer, unique: str) -> str:
    engine = make_engine(server.settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as db:
            await users.create_user(db, f"boss{unique}", ADMIN_PASSWORD, is_admin=True)
    finally:
        await engine.dispose()
    return f"boss{unique}"


@pytest.fixture
async def admin_page(new_context: ContextFactory, admin_name: str) -> Page:
    context = await new_context(signed_in=False)
    r = await context.request.post(
        "/api/auth/login", data={"username": admin_name, "password": ADMIN_PASSWORD}
    )
    assert r.ok, await r.text()
    return await context.new_page()


@pytest.fixture
async def admin_api(server: BrowserServer, admin_name: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        r = await client.post(
            "/api/auth/login", json={"username": admin_name, "password": ADMIN_PASSWORD}
        )
        r.raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["workspace_csrf"]
        yield client


async def test_the_admin_pages_are_for_admins_only(page: Page, admin_page: Page) -> None:
    await page.goto("/todos")
    nav = page.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link", name="Todos")).to_be_visible()
    await expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    await page.goto("/admin/users")
    await expect(page.get_by_role("alert")).to_have_text("Administrators only.")

    await admin_page.goto("/todos")
    await (
        admin_page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    )
    await expect(admin_page).to_have_url("/admin/users")
    await expect(admin_page.get_by_role("heading", name="Users", level=1)).to_be_visible()


async def test_create_disable_promote_and_delete_a_user(
    admin_page: Page, server: BrowserServer, unique: str, request: pytest.FixtureRequest
) -> None:
    name = f"new{unique}"
    page = admin_page
    await page.goto("/admin/users")
    form = page.get_by_role("form", name="Create a user")
    await form.get_by_label("Username").fill(name)
    await form.get_by_role("button", name="Create user").click()
    secret = page.get_by_role("textbox", name=f"Password of {name}")
    await expect(secret).to_be_visible()
    password = await secret.input_value()
    assert len(password) >= 12
    await page.get_by_role("button", name="Done").click()
    await expect(secret).to_have_count(0)

    row = page.get_by_role("row", name=name)
    await row.get_by_role("button", name=f"Disable {name}").click()
    await expect(row.get_by_role("cell", name="Disabled")).to_be_visible()
    async with httpx.AsyncClient(base_url=server.url) as client:
        login = {"username": name, "password": password}
        assert (await client.post("/api/auth/login", json=login)).status_code == 403
        await row.get_by_role("button", name=f"Enable {name}").click()
        await expect(row.get_by_role("cell", name="Active")).to_be_visible()
        assert (await client.post("/api/auth/login", json=login)).status_code == 200

    await row.get_by_role("button", name="Make admin").click()
    await expect(row.get_by_role("cell", name="Admin", exact=True)).to_be_visible()
    await page.screenshot(path=screenshot_path(request, "-users"), full_page=True)

    await row.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    await (
        dialog.get_by_role("group", name="Notebook volumes (their files)")
        .get_by_label("Remove")
        .check()
    )
    await dialog.get_by_role("button", name="Delete user").click()
    await expect(row).to_have_count(0)

    await page.get_by_role("link", name="Audit log").click()
    table = page.get_by_role("table")
    await expect(table.get_by_role("row").filter(has_text=f"({name})").first).to_be_visible()
    await expect(table.get_by_role("row").nth(1)).to_contain_text("user.delete")


async def test_settings_show_which_value_wins(
    admin_page: Page, admin_api: httpx.AsyncClient
) -> None:
    page = admin_page
    await page.goto("/admin/settings")
    row = page.get_by_role("form", name="Maximum CPUs per notebook")
    source = page.get_by_test_id("source-notebook_max_cpus")
    await expect(source).to_have_text("environment default")
    await row.get_by_label("Maximum CPUs per notebook").fill("1.5")
    await row.get_by_role("button", name="Save").click()
    await expect(source).to_have_text("set here (environment: 2)")
    shown = (await admin_api.get("/api/admin/settings")).json()
    assert shown["effective"]["notebook_max_cpus"] == 1.5
    await row.get_by_role("button", name="Use environment").click()
    await expect(source).to_have_text("environment default")

    images = page.get_by_role("form", name="Image allow-list")
    await expect(images.get_by_label("Image 1", exact=True)).to_have_value(TEST_IMAGE)
    if await docker_available(admin_api):
        await expect(page.get_by_test_id(f"engine-{TEST_IMAGE}")).to_have_text("on the engine")
    await images.get_by_label("Description of image 1").fill("the small test image")
    await images.get_by_role("button", name="Save images").click()
    images_source = page.get_by_test_id("source-notebook_images")
    await expect(images_source).to_have_text(
        "Set here, over the list of WORKSPACE_NOTEBOOK_IMAGES."
    )
    await page.reload()
    await expect(images.get_by_label("Description of image 1")).to_have_value(
        "the small test image"
    )
    await images.get_by_role("button", name="Use environment").click()
    await expect(images_source).to_have_text("From WORKSPACE_NOTEBOOK_IMAGES.")
    await expect(images.get_by_label("Description of image 1")).to_have_value("")


async def test_every_notebook_is_listed_and_can_be_stopped(
    admin_page: Page, api: httpx.AsyncClient, unique: str, request: pytest.FixtureRequest
) -> None:
    if not await docker_available(api):
        pytest.fail("the worker never reported a Docker engine")
    r = await api.post("/api/notebooks", json={"name": f"adm{unique}", "image": TEST_IMAGE})
    assert r.status_code == 202, r.text
    page = admin_page
    await page.goto("/admin/notebooks")
    label = f"browser/adm{unique}"
    row = page.get_by_role("row", name=label)
    await expect(row.get_by_role("status", name=f"{label}: Healthy")).to_be_visible(timeout=60_000)
    await expect(row).to_contain_text("0.5 CPU · 256 MB")
    await page.screenshot(path=screenshot_path(request, "-listed"), full_page=True)
    await row.get_by_role("button", name=f"Stop {label}").click()
    await expect(row.get_by_role("status", name=f"{label}: Stopped")).to_be_visible(timeout=60_000)
    await expect(row).to_contain_text("stopped: by the administrator")
    await row.get_by_role("button", name=f"Delete {label}").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete notebook").click()
    await expect(row).to_have_count(0, timeout=30_000)
