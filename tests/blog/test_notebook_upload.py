"""An uploaded .ipynb becomes a draft post: sanitized snapshot, output images as post images,
input shown or hidden, and one cell's output embedded in a Markdown post."""

from __future__ import annotations

import re

import httpx

from tests.blog.conftest import anonymous_of, edit, image_bytes, new_post
from tests.blog.notebooks import as_bytes, hostile_notebook

SCRIPTY = re.compile(r"<script|<iframe|<style|<svg|onerror|onclick|onload|javascript:", re.I)


async def upload(client: httpx.AsyncClient, data: bytes, **form: str) -> httpx.Response:
    return await client.post(
        "/api/posts/notebooks/upload", files={"file": ("analysis.ipynb", data)}, data=form
    )


async def test_an_uploaded_notebook_becomes_a_sanitized_draft(
    backend: str, alice: httpx.AsyncClient
) -> None:
    r = await upload(alice, as_bytes(hostile_notebook()))
    assert r.status_code == 201, r.text
    post = r.json()
    assert post["title"] == "Analysis first" and post["status"] == "draft"
    assert post["notebook"]["notebook_id"] is None
    assert post["notebook"]["path"] == "analysis.ipynb"
    assert sorted(post["notebook"]["cells"]) == ["answer", "figure"]
    page = post["html"]
    assert "forty-two" in page and "printed first" in page and "secret_source" in page
    assert "js-fallback" in page  # the script output's plain text, never the script
    assert not SCRIPTY.search(page), SCRIPTY.search(page)
    assert 'rel="noopener nofollow"' in page
    (src,) = re.findall(r'<img src="([^"]+)" alt="output"', page)
    async with anonymous_of(alice) as anonymous:
        image = await anonymous.get(src)
        assert image.status_code == 200 and image.content == image_bytes("PNG", color="green")
    hidden = (await upload(alice, as_bytes(hostile_notebook()), show_input="false")).json()
    assert "secret_source" not in hidden["html"] and "forty-two" in hidden["html"]


async def test_a_notebook_posts_preview_ends_with_its_snapshot_as_its_page_does(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    post = (await upload(alice, as_bytes(hostile_notebook()))).json()
    body = "My words above the notebook."
    edited = await edit(alice, post, body=body)
    preview = await alice.post("/api/posts/preview", json={"body": body, "post_id": post["id"]})
    assert preview.status_code == 200, preview.text
    assert preview.json()["html"] == edited["html"]
    assert "forty-two" in preview.json()["html"] and "My words" in preview.json()["html"]
    without = await alice.post("/api/posts/preview", json={"body": body})
    assert "forty-two" not in without.json()["html"]
    # Another user's post lends its snapshot to nobody; nor does a post that is not there.
    for client, post_id in ((bob, post["id"]), (alice, post["id"] + 1000)):
        r = await client.post("/api/posts/preview", json={"body": "x", "post_id": post_id})
        assert r.status_code == 404, r.text
        assert "forty-two" not in r.text


async def test_a_markdown_post_embeds_one_cells_output(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    source = (await upload(alice, as_bytes(hostile_notebook()))).json()
    body = f"Look:\n\n```notebook-cell {source['id']}/answer\n```\n\nAnd ```notebook-cell 9/x```."
    post = await new_post(alice, "Embeds", body=body)
    assert "forty-two" in post["html"] and "printed first" in post["html"]
    assert "secret_source" not in post["html"]
    assert not SCRIPTY.search(post["html"])
    preview = await alice.post("/api/posts/preview", json={"body": body})
    assert preview.json()["html"] == post["html"]
    missing = await new_post(alice, "Missing", body=f"```notebook-cell {source['id']}/nope\n```")
    assert "not found" in missing["html"]
    # Another user cannot pull alice's outputs into their own post.
    theirs = await new_post(bob, "Theft", body=f"```notebook-cell {source['id']}/answer\n```")
    assert "forty-two" not in theirs["html"] and "not found" in theirs["html"]
    await edit(alice, post, status="published")
    async with anonymous_of(alice) as anonymous:
        assert "forty-two" in (await anonymous.get(f"/blog/{post['slug']}")).text


async def test_bad_uploads_are_422_and_refresh_of_an_upload_is_409(
    backend: str, alice: httpx.AsyncClient
) -> None:
    for data in (b"not json", b'{"cells": 5}', b"[]", b'{"nbformat": 4}'):
        r = await upload(alice, data)
        assert r.status_code == 422, (data, r.text)
        assert r.json()["detail"][0]["loc"] == ["body", "file"]
    assert (await upload(alice, b"")).status_code == 422
    assert (await alice.get("/api/posts")).json()["count"] == 0
    post = (await upload(alice, as_bytes(hostile_notebook()))).json()
    r = await alice.post(f"{post['url']}/notebook/refresh", json={"version": post["version"]})
    assert r.status_code == 409 and "upload" in r.json()["detail"]
    plain = await new_post(alice, "Plain")
    r = await alice.post(f"{plain['url']}/notebook/refresh", json={"version": 1})
    assert r.status_code == 409
