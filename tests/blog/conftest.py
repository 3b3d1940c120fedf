"""Helpers shared by the blog's tests."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image


async def new_post(client: httpx.AsyncClient, title: str, **fields: Any) -> dict[str, Any]:
    r = await client.post("/api/posts", json={"title": title, **fields})
    assert r.status_code == 201, r.text
    post: dict[str, Any] = r.json()
    return post


async def edit(client: httpx.AsyncClient, post: dict[str, Any], **fields: Any) -> dict[str, Any]:
    r = await client.patch(f"/api/posts/{post['id']}", json={"version": post["version"], **fields})
    assert r.status_code == 200, r.text
    edited: dict[str, Any] = r.json()
    return edited


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (4, 3), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


from tests.api.conftest import live_events  # noqa: E402

__all__ = ["anonymous_of", "browser_of", "edit", "image_bytes", "live_events", "new_post"]


async def browser_of(client: httpx.AsyncClient, username: str) -> httpx.AsyncClient:
    """A client of the same app signed in with a session cookie, as a browser is."""
    from tests.support.environment import PASSWORD

    browser = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    r = await browser.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return browser


def anonymous_of(client: httpx.AsyncClient) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
