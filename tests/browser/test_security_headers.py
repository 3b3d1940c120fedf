"""Security headers on every page, and a Content-Security-Policy the dashboard lives with:
Chromium reports no violation on any page."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import BrowserServer

# Collects what Chromium refuses under the page's policy, from the first script on.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/todos", "Inbox"),
        ("/notebook-servers", "Notebooks"),
        ("/settings", "Settings"),
        ("/docs", "WorkSpace"),
    ],
)
async def test_no_page_breaks_its_content_security_policy(
    page: Page, path: str, ready: str
) -> None:
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    await page.add_init_script(RECORD_VIOLATIONS)
    response = await page.goto(path)
    assert response is not None
    assert "frame-ancestors 'none'" in (
        await response.header_value("content-security-policy") or ""
    )
    await expect(page.get_by_role("heading", name=ready).first).to_be_visible()
    await page.wait_for_load_state("networkidle")
    assert await page.evaluate("window.__violations") == []
    assert [m for m in console if "Content Security Policy" in m] == []


async def test_every_kind_of_answer_carries_the_headers(server: BrowserServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        answers = [
            await client.get("/"),
            await client.get("/api/me"),  # a 401
            await client.get("/api/health"),
            await client.get("/notebooks/1/"),  # the proxy's own refusal
            await client.post("/api/auth/logout", content=b"x" * (2 * 1024 * 1024)),  # 413
            await client.get("/blog"),
        ]
    for r in answers:
        assert r.headers["x-content-type-options"] == "nosniff", r.url
        assert r.headers["referrer-policy"], r.url
        assert "strict-transport-security" not in r.headers  # served over http here
    assert answers[4].status_code == 413
    notebook = answers[3]
    assert "content-security-policy" not in notebook.headers  # Jupyter's pages set their own
    blog = answers[5]
    assert "default-src 'none'" in blog.headers["content-security-policy"]  # the blog's own
