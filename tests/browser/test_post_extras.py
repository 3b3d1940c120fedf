"""The editor's excerpt, cover and notebook parts on the real api: a cover picked, uploaded and
removed, an excerpt, both on the public page and in the feed; a notebook of a real Jupyter
container imported through the dashboard, then updated from it after it changed."""

from __future__ import annotations

import asyncio
import io
import re
from typing import Any

import feedparser
import httpx
from PIL import Image
from playwright.async_api import Page, expect

from app.core import notebook_origin
from app.core.db import make_engine, make_sessionmaker
from app.models.notebook import Notebook
from tests.blog.notebooks import hostile_notebook
from tests.browser.conftest import BrowserServer, screenshot_path
from tests.browser.test_posts import body_editor, preview_frame, save_status
from tests.support.environment import JUPYTER_IMAGE


def png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), color).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_excerpt_and_cover_reach_the_page_and_the_feed(
    page: Page, api: httpx.AsyncClient, server: BrowserServer, unique: str, request: Any
) -> None:
    r = await api.post("/api/posts/images", files={"file": ("old.png", png("navy"))})
    r.raise_for_status()
    uploaded_before = r.json()
    title = f"Covered {unique}"
    await page.goto("/posts/new")
    await page.get_by_label("Title").fill(title)
    await body_editor(page).click()
    await page.keyboard.type("The first paragraph.")
    await expect(page).to_have_url(re.compile(r"/posts/\d+$"))
    post_id = int(page.url.rsplit("/", 1)[1])
    excerpt = page.get_by_label("Excerpt")
    await expect(page.get_by_text("a line <!--more--> in the body")).to_be_visible()
    await expect(excerpt).to_have_attribute("placeholder", "Now: The first paragraph.")

    # Pick an image uploaded before: the preview shows it above the title.
    await page.get_by_role("button", name="Add a cover…").click()
    await page.get_by_role(
        "button", name=f"Use image {uploaded_before['id']} (120\u00d760) as the cover"
    ).click()
    frame = await preview_frame(page)
    await expect(frame.locator("img.cover")).to_have_attribute("src", uploaded_before["url"])
    await expect(page.get_by_role("img", name="The cover")).to_be_visible()

    # Upload another one as the cover instead.
    await page.get_by_role("button", name="Change cover…").click()
    async with page.expect_response(
        lambda r: r.url.endswith("/api/posts/images") and r.request.method == "POST"
    ) as upload:
        await page.get_by_label("Cover image to upload").set_input_files(
            {"name": "new.png", "mimeType": "image/png", "buffer": png("orange")}
        )
    new_url = (await (await upload.value).json())["url"]
    await expect(frame.locator("img.cover")).to_have_attribute("src", new_url)

    # Removed: gone from the preview and from the post.
    await page.get_by_role("button", name="Remove cover").click()
    await expect(frame.locator("img.cover")).to_be_hidden()
    await expect(save_status(page)).to_have_attribute("data-state", "saved")
    assert (await api.get(f"/api/posts/{post_id}")).json()["cover_image_id"] is None

    # And back, with an excerpt of its own; published.
    await page.get_by_role("button", name="Add a cover…").click()
    await page.get_by_role("list", name="Your images").get_by_role("button").first.click()
    await expect(frame.locator("img.cover")).to_have_attribute("src", new_url)
    await excerpt.fill("A hand-written excerpt.")
    await page.get_by_role("button", name="Publish", exact=True).click()
    await expect(page.locator(".editor-header .post-status")).to_have_text("Published")
    saved = (await api.get(f"/api/posts/{post_id}")).json()
    assert (saved["excerpt"], saved["cover_image_url"]) == ("A hand-written excerpt.", new_url)
    await page.screenshot(path=screenshot_path(request, "-editor"), full_page=True)

    reader = await page.context.new_page()
    await reader.goto(f"/blog/{saved['slug']}")
    await expect(reader.get_by_role("heading", name=title, level=1)).to_be_visible()
    cover = reader.locator("article img.cover")
    await expect(cover).to_have_attribute("src", new_url)
    await reader.wait_for_function("() => document.querySelector('img.cover').naturalWidth === 120")
    await expect(reader.locator('meta[name="description"]')).to_have_attribute(
        "content", "A hand-written excerpt."
    )
    await reader.goto("/blog")
    await expect(reader.get_by_text("A hand-written excerpt.")).to_be_visible()

    async with httpx.AsyncClient(base_url=server.url) as anonymous:
        feed = feedparser.parse((await anonymous.get("/blog/feed.xml")).content)
    (entry,) = [e for e in feed.entries if e.title == title]
    assert entry.summary == "A hand-written excerpt."
    assert entry.media_thumbnail[0]["url"].endswith(new_url)
    assert new_url in entry.content[0].value


async def jupyter_put(server: BrowserServer, notebook_id: int, path: str, content: Any) -> None:
    """Write a notebook into the server directly, as a person working in it would."""
    engine = make_engine(server.settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        row = await db.get(Notebook, notebook_id)
        assert row is not None and row.host_port is not None
        host = row.upstream_host or "127.0.0.1"
        base = notebook_origin.base_path(server.settings, row.key)
        url = f"http://{host}:{row.host_port}{base}api/contents/"
        headers = {"Authorization": f"token {row.jupyter_token}"}
    await engine.dispose()
    async with httpx.AsyncClient(trust_env=False, headers=headers) as jupyter:
        folder = path.rsplit("/", 1)[0]
        r = await jupyter.put(url + folder, json={"type": "directory"})
        assert r.status_code in (200, 201), r.text
        r = await jupyter.put(
            url + path, json={"type": "notebook", "format": "json", "content": content}
        )
        assert r.status_code in (200, 201), r.text


async def wait_status(api: httpx.AsyncClient, notebook_id: int, *statuses: str) -> None:
    deadline = asyncio.get_running_loop().time() + 180
    while True:
        r = await api.get(f"/api/notebooks/{notebook_id}")
        if r.status_code == 404 and "gone" in statuses:
            return
        if r.status_code == 200 and r.json()["status"] in statuses:
            return
        assert asyncio.get_running_loop().time() < deadline, f"not {statuses}: {r.text}"
        await asyncio.sleep(0.5)


async def test_a_notebook_imported_in_the_dashboard_then_updated_from_it(
    page: Page,
    api: httpx.AsyncClient,
    server: BrowserServer,
    docker_ready: None,
    unique: str,
    request: Any,
) -> None:
    name = f"blog-{unique}"
    r = await api.post("/api/notebooks", json={"name": name, "image": JUPYTER_IMAGE})
    assert r.status_code == 202, r.text
    notebook_id = r.json()["id"]
    try:
        await wait_status(api, notebook_id, "healthy")
        await jupyter_put(server, notebook_id, "work/analysis.ipynb", hostile_notebook())

        await page.goto("/posts")
        await page.get_by_role("link", name="New from notebook").click()
        await expect(page.get_by_role("heading", name="New post from a notebook")).to_be_visible()
        await page.get_by_label("Notebook server", exact=True).select_option(label=name)
        await page.get_by_role("button", name="📁 work/").click()
        await page.get_by_label("analysis.ipynb").check()
        await expect(page.get_by_label("Folder")).to_contain_text("Files / work")
        await page.get_by_label("Show code cells").uncheck()
        await page.get_by_role("button", name="Import analysis as a draft").click()

        await expect(page).to_have_url(re.compile(r"/posts/\d+$"), timeout=60_000)
        post_id = int(page.url.rsplit("/", 1)[1])
        await expect(page.get_by_label("Title")).to_have_value("Analysis first")
        panel = page.get_by_role("region", name="Notebook")
        await expect(panel).to_contain_text("work/analysis.ipynb")
        await expect(panel.get_by_label("Show code cells")).not_to_be_checked()
        post = (await api.get(f"/api/posts/{post_id}")).json()
        assert "printed first" in post["html"] and "secret_source" not in post["html"]
        await panel.get_by_text("Embed a cell's output in another post").click()
        await expect(panel.get_by_text(f"```notebook-cell {post_id}/answer")).to_be_visible()
        # The preview is the page: the body, then the snapshot.
        preview = (await preview_frame(page)).locator(".content")
        await expect(preview).to_contain_text("printed first")

        # Saved elsewhere meanwhile: the update is refused with the reason, the editor shows
        # the latest, and a second try goes through.
        await jupyter_put(server, notebook_id, "work/analysis.ipynb", hostile_notebook("second"))
        r = await api.patch(
            f"/api/posts/{post_id}", json={"version": post["version"], "tags": ["elsewhere"]}
        )
        r.raise_for_status()
        await panel.get_by_label("Show code cells").check()
        await panel.get_by_role("button", name="Update from notebook").click()
        await expect(panel.get_by_role("alert")).to_contain_text("saved elsewhere meanwhile")
        await expect(page.get_by_label("Tags")).to_have_value("elsewhere")
        await panel.get_by_role("button", name="Update from notebook").click()
        await expect(panel.get_by_role("status")).to_have_text("Updated from the notebook.")
        post = (await api.get(f"/api/posts/{post_id}")).json()
        assert "printed second" in post["html"] and "secret_source" in post["html"]
        await expect(preview).to_contain_text("printed second")
        assert post["tags"] == ["elsewhere"] and post["notebook"]["show_input"] is True
        await expect(page.get_by_label("Tags")).to_have_value("elsewhere")
        await page.screenshot(path=screenshot_path(request, "-updated"), full_page=True)

        # Its server stopped: the reason, and where to start it.
        r = await api.post(f"/api/notebooks/{notebook_id}/stop")
        assert r.status_code == 202, r.text
        await wait_status(api, notebook_id, "stopped")
        await panel.get_by_role("button", name="Update from notebook").click()
        await expect(panel.get_by_role("alert")).to_contain_text("notebook server is not running")
        await expect(panel.get_by_role("link", name="Notebooks")).to_be_visible()
    finally:
        await api.delete(f"/api/notebooks/{notebook_id}", params={"purge": True})
        # Gone before the session ends (and its worker with it), so no container outlives it.
        await wait_status(api, notebook_id, "removed", "gone")
