"""The post editor on the real api: typing, the server's preview, a pasted image, autosave,
publishing to the public page, slug redirects, a version conflict, a failed save, revisions."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import httpx
from PIL import Image
from playwright.async_api import Frame, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import PHONE, ContextFactory, screenshot_path

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

# What a person's paste of a screenshot looks like to the page: a ClipboardEvent with a file.
PASTE_IMAGE = """
([b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, { type: "image/png" }));
  const event = new ClipboardEvent(
    "paste", { clipboardData: data, bubbles: true, cancelable: true },
  );
  document.querySelector(".cm-content").dispatchEvent(event);
}
"""


def png_base64(width: int = 64, height: int = 40) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 90)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def body_editor(page: Page) -> Any:
    return page.get_by_role("textbox", name="Body (Markdown)")


def save_status(page: Page) -> Any:
    return page.locator(".save-status")


async def preview_frame(page: Page) -> Frame:
    await expect(page.locator("iframe.preview-frame")).to_be_visible()
    handle = await page.locator("iframe.preview-frame").element_handle()
    assert handle is not None
    frame = await handle.content_frame()
    assert frame is not None
    return frame


async def image_loaded(frame: Frame, api: httpx.AsyncClient, url: str) -> None:
    """Until the preview shows the image at `url`, decoded (64 pixels wide); otherwise fail
    with what the frame's images and the server said."""
    try:
        await frame.wait_for_function(
            "url => [...document.images].some(i => i.getAttribute('src') === url"
            " && i.complete && i.naturalWidth === 64)",
            arg=url,
        )
    except PlaywrightTimeoutError:
        images = await frame.evaluate(
            "[...document.images].map(i => [i.getAttribute('src'), i.loading, i.complete,"
            " i.naturalWidth, i.getBoundingClientRect().top, innerHeight])"
        )
        answer = await api.get(url)
        raise AssertionError(
            f"the preview never showed {url}: its images (src, loading, complete, width,"
            f" top, frame height) {images}; the server answers {answer.status_code}"
            f" {answer.headers.get('content-type')} with {len(answer.content)} bytes"
        ) from None


async def create_post(api: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    r = await api.post("/api/posts", json=fields)
    r.raise_for_status()
    post: dict[str, Any] = r.json()
    return post


async def open_editor(page: Page, post: dict[str, Any]) -> None:
    await page.goto(f"/posts/{post['id']}")
    await expect(page.get_by_label("Title")).to_have_value(post["title"])
    await expect(body_editor(page)).to_contain_text(post["body"].split("\n")[0])


async def type_at_end(page: Page, text: str) -> None:
    await body_editor(page).click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type(text)


async def test_write_paste_an_image_autosave_publish_and_read_it(
    page: Page, api: httpx.AsyncClient, server: Any, unique: str, request: Any
) -> None:
    title = f"Editor post {unique}"
    await page.goto("/posts/new")
    await page.get_by_label("Title").fill(title)
    await body_editor(page).click()
    await page.keyboard.type("Hello from the editor, with *emphasis*.")

    frame = await preview_frame(page)
    await expect(frame.locator(".content em")).to_have_text("emphasis")
    await expect(frame.locator("h1")).to_have_text(title)
    # The first save created the post: the address has its id now.
    await expect(page).to_have_url(re.compile(r"/posts/\d+$"))
    post_id = int(page.url.rsplit("/", 1)[1])
    await expect(page.get_by_label("Slug")).to_have_value(f"editor-post-{unique}")

    # Pasting an image uploads it and puts its Markdown where the cursor is.
    await page.keyboard.press("Control+End")
    await page.keyboard.press("Enter")
    async with page.expect_response(
        lambda r: r.url.endswith("/api/posts/images") and r.request.method == "POST"
    ) as uploaded:
        await page.evaluate(PASTE_IMAGE, [png_base64(), "sales-chart.png"])
    response = await uploaded.value
    assert response.status == 201, await response.text()
    url = (await response.json())["url"]
    assert url.startswith("/blog/images/")
    await expect(body_editor(page)).to_contain_text(f"![sales chart]({url})")
    image = frame.locator(f"img[src='{url}']")
    await expect(image).to_have_attribute("alt", "sales chart")
    await image_loaded(frame, api, url)

    # Autosave: the status says so, and the server has the text (a reload shows it).
    await expect(save_status(page)).to_have_attribute("data-state", "saved")
    saved = (await api.get(f"/api/posts/{post_id}")).json()
    assert saved["body"] == f"Hello from the editor, with *emphasis*.\n\n![sales chart]({url})"
    await page.reload()
    await expect(body_editor(page)).to_contain_text("Hello from the editor")
    await expect(body_editor(page)).to_contain_text(url)
    await expect(page.get_by_text("Restored the unsaved text")).to_have_count(0)

    # Ctrl+Enter publishes, from the body.
    await body_editor(page).click()
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".editor-header .post-status")).to_have_text("Published")
    assert (await api.get(f"/api/posts/{post_id}")).json()["status"] == "published"
    view = page.get_by_role("link", name="View the public page")
    await expect(view).to_have_attribute("href", re.compile(rf"/blog/editor-post-{unique}$"))

    reader = await page.context.new_page()
    await reader.goto(f"/blog/editor-post-{unique}")
    await expect(reader.get_by_role("heading", name=title, level=1)).to_be_visible()
    await expect(reader.locator(".content em")).to_have_text("emphasis")
    await expect(reader.locator(f"img[src='{url}']")).to_be_visible()
    await reader.screenshot(path=screenshot_path(request, "-public"), full_page=True)

    # A new slug: the note says the old address redirects, and it does.
    await page.get_by_label("Slug").fill(f"renamed-{unique}")
    await expect(page.get_by_text(f"/blog/editor-post-{unique} will redirect")).to_be_visible()
    await page.keyboard.press("Control+s")
    await expect(save_status(page)).to_have_attribute("data-state", "saved")
    await reader.goto(f"/blog/editor-post-{unique}")
    await expect(reader).to_have_url(re.compile(rf"/blog/renamed-{unique}$"))
    await expect(reader.get_by_role("heading", name=title, level=1)).to_be_visible()

    # Unpublish: the public page is gone for anyone else.
    await page.get_by_role("button", name="Unpublish").click()
    await expect(page.locator(".editor-header .post-status")).to_have_text("Draft")
    async with httpx.AsyncClient(base_url=server.url) as anonymous:
        assert (await anonymous.get(f"/blog/renamed-{unique}")).status_code == 404


async def test_a_change_made_elsewhere_offers_the_choice(
    page: Page, api: httpx.AsyncClient, unique: str, request: Any
) -> None:
    post = await create_post(api, title=f"Conflict {unique}", body="line one")
    await open_editor(page, post)

    # Another client saves first; then the person, still on version 1, types.
    r = await api.patch(f"/api/posts/{post['id']}", json={"version": 1, "body": "theirs, saved"})
    r.raise_for_status()
    await type_at_end(page, " and mine")
    dialog = page.get_by_role("dialog", name="This post was changed elsewhere")
    await expect(dialog).to_be_visible()
    await expect(save_status(page)).to_contain_text("choose which version to keep")
    await dialog.get_by_role("button", name="View diff").click()
    diff = dialog.get_by_label("Body: - only in mine, + only in theirs")
    await expect(diff.locator(".diff-mine")).to_have_text("- line one and mine")
    await expect(diff.locator(".diff-theirs")).to_have_text("+ theirs, saved")
    await page.screenshot(path=screenshot_path(request, "-dialog"), full_page=True)
    # Escape does not decide for the person.
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_visible()

    await dialog.get_by_role("button", name="Keep mine").click()
    await expect(dialog).to_be_hidden()
    await expect(save_status(page)).to_have_attribute("data-state", "saved")
    kept = (await api.get(f"/api/posts/{post['id']}")).json()
    assert (kept["body"], kept["version"]) == ("line one and mine", 3)

    # Again, and this time theirs wins: the editor shows their text.
    r = await api.patch(f"/api/posts/{post['id']}", json={"version": 3, "body": "their rewrite"})
    r.raise_for_status()
    await type_at_end(page, " (more)")
    await dialog.get_by_role("button", name="Take theirs").click()
    await expect(body_editor(page)).to_have_text("their rewrite")
    await expect(save_status(page)).to_have_attribute("data-state", "clean")
    final = (await api.get(f"/api/posts/{post['id']}")).json()
    assert (final["body"], final["version"]) == ("their rewrite", 4)


# The page's fetch fails like a browser's without a network (a TypeError) for PATCHes of one
# path while `window.offline` is true. In the page, not in the browser's interception: a
# closing tab's last request is past that interception and would reach the server.
OFFLINE_SAVES = """
(() => {
  const realFetch = window.fetch.bind(window);
  window.offline = true;
  window.fetch = (input, init) => {
    const method = (input instanceof Request ? input.method : init?.method) || "GET";
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (window.offline && method.toUpperCase() === "PATCH" && url.pathname === %r) {
      return Promise.reject(new TypeError("Failed to fetch"));
    }
    return realFetch(input, init);
  };
})();
"""


async def test_a_failed_save_keeps_the_text_in_the_browser(
    page: Page, api: httpx.AsyncClient, unique: str
) -> None:
    post = await create_post(api, title=f"Offline {unique}", body="saved words")
    draft_key = f"workspace.post-draft.{post['id']}"
    await page.context.add_init_script(OFFLINE_SAVES % f"/api/posts/{post['id']}")
    await open_editor(page, post)
    await type_at_end(page, ", typed offline")
    await expect(save_status(page)).to_have_attribute("data-state", "failed")
    await expect(save_status(page)).to_contain_text("Your text is kept in this browser")

    # Closing the tab and opening the post again loses nothing.
    await page.close()
    page = await page.context.new_page()
    await page.goto(f"/posts/{post['id']}")
    await expect(page.get_by_text("Restored the unsaved text this browser kept")).to_be_visible()
    await expect(body_editor(page)).to_have_text("saved words, typed offline")
    assert (await api.get(f"/api/posts/{post['id']}")).json()["body"] == "saved words"

    # Back online: it is retried by itself; Ctrl+S does it now.
    await page.evaluate("window.offline = false")
    await body_editor(page).press("Control+s")
    await expect(save_status(page)).to_have_attribute("data-state", "saved")
    assert (await api.get(f"/api/posts/{post['id']}")).json()["body"] == (
        "saved words, typed offline"
    )
    assert await page.evaluate(f"localStorage.getItem({draft_key!r})") is None


async def test_revisions_diff_and_restore(page: Page, api: httpx.AsyncClient, unique: str) -> None:
    post = await create_post(api, title=f"Revisions {unique}", body="first text")
    r = await api.patch(f"/api/posts/{post['id']}", json={"version": 1, "body": "second text"})
    r.raise_for_status()
    await open_editor(page, {**post, "body": "second text"})
    await page.get_by_role("button", name="Revisions").click()
    revisions = page.get_by_role("list", name="Revisions")
    await expect(revisions.get_by_role("listitem")).to_have_count(2)
    await revisions.get_by_role("button", name="Diff of version 1").click()
    diff = page.get_by_label("Changes from version 1 to the current text")
    await expect(diff.locator(".diff-mine")).to_contain_text("-first text")
    await expect(diff.locator(".diff-theirs")).to_contain_text("+second text")

    await revisions.get_by_role("button", name="Restore version 1").click()
    await expect(body_editor(page)).to_have_text("first text")
    await expect(revisions.get_by_role("listitem")).to_have_count(3)
    assert (await api.get(f"/api/posts/{post['id']}")).json()["body"] == "first text"


async def test_posts_page_filters_in_the_url(
    page: Page, api: httpx.AsyncClient, unique: str
) -> None:
    await create_post(api, title=f"Draft {unique}", body="nothing yet")
    await create_post(api, title=f"Out {unique}", body="for all to read", status="published")
    await page.goto("/posts")
    await page.get_by_role("button", name="Published", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/posts\?status=published$"))
    await page.get_by_label("Search posts").fill(unique)
    await expect(page).to_have_url(re.compile(rf"/posts\?status=published&q={unique}$"))
    titles = page.get_by_role("list", name="Posts").locator(".post-row-title")
    await expect(titles).to_have_text([f"Out {unique}"])
    await page.get_by_role("button", name="All", exact=True).click()
    await expect(titles).to_have_text([f"Out {unique}", f"Draft {unique}"])
    # The URL is the state: opening it again shows the same.
    await page.goto(f"/posts?status=draft&q={unique}")
    await expect(page.get_by_role("button", name="Draft", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(titles).to_have_text([f"Draft {unique}"])


async def test_blog_pages_fit_a_phone(
    new_context: ContextFactory, api: httpx.AsyncClient, unique: str, request: Any
) -> None:
    context = await new_context(viewport=PHONE)
    page = await context.new_page()
    long_line = "A fairly long sentence that has to wrap on a narrow screen. " * 4
    post = await create_post(
        api,
        title=f"A rather long title for a phone screen {unique}",
        body=f"# Heading\n\n{long_line}\n\n```python\nprint('a long line of code' * 10)\n```\n",
        tags=["python", "notes"],
    )
    await page.goto("/posts")
    await expect(page.get_by_role("link", name=post["title"])).to_be_visible()
    assert await page.evaluate(OVERFLOW) <= 0
    await page.screenshot(path=screenshot_path(request, "-posts"), full_page=True)

    await page.get_by_role("link", name=post["title"]).click()
    await expect(body_editor(page)).to_contain_text("Heading")
    assert await page.evaluate(OVERFLOW) <= 0
    await page.screenshot(path=screenshot_path(request, "-editor"), full_page=True)
    # One pane at a time: the preview is a tap away.
    await expect(page.locator("iframe.preview-frame")).to_be_hidden()
    await page.get_by_role("button", name="Preview", exact=True).click()
    frame = await preview_frame(page)
    await expect(frame.locator(".content h1")).to_have_text("Heading")
    await expect(body_editor(page)).to_be_hidden()
    assert await page.evaluate(OVERFLOW) <= 0
    await page.screenshot(path=screenshot_path(request, "-preview"), full_page=True)

    await page.get_by_role("link", name="Home", exact=True).click()
    await expect(page.get_by_role("heading", name="Today")).to_be_visible()
    assert await page.evaluate(OVERFLOW) <= 0
