"""A notebook post from a real Jupyter container: listed and read server-side through the
notebook's contents API, then refreshed after the notebook changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from app.core import notebook_origin
from app.core.db import make_engine, make_sessionmaker
from app.models.notebook import Notebook
from tests.blog.notebooks import hostile_notebook
from tests.proxy.conftest import start_lab
from tests.support.stack import Stack


async def put_into_jupyter(stack: Stack, notebook_id: int, path: str, content: Any) -> None:
    """Write a file in the notebook server directly (as a person working in it would)."""
    engine = make_engine(stack.settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        row = await db.get(Notebook, notebook_id)
        assert row is not None and row.host_port is not None
        host = row.upstream_host or "127.0.0.1"
        base = notebook_origin.base_path(stack.settings, row.key)
        url = f"http://{host}:{row.host_port}{base}api/contents/{path}"
        token = row.jupyter_token
    await engine.dispose()
    async with httpx.AsyncClient(trust_env=False) as jupyter:
        if "/" in path:
            folder = path.rsplit("/", 1)[0]
            r = await jupyter.put(
                url.replace(path, folder),
                json={"type": "directory"},
                headers={"Authorization": f"token {token}"},
            )
            assert r.status_code in (200, 201), r.text
        r = await jupyter.put(
            url,
            json={"type": "notebook", "format": "json", "content": content},
            headers={"Authorization": f"token {token}"},
        )
        assert r.status_code in (200, 201), r.text


async def test_a_notebook_from_a_running_server_becomes_a_post(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    lab = await start_lab(stack, feed_for)
    alice = lab.api  # the dashboard's api (lab.owner is on the notebook's origin)
    await put_into_jupyter(stack, lab.notebook_id, "work/analysis.ipynb", hostile_notebook())
    files = await alice.get(f"/api/posts/notebooks/{lab.notebook_id}/files")
    assert files.status_code == 200, files.text
    assert {"name": "work", "type": "directory"}.items() <= files.json()["data"][0].items()
    inner = (
        await alice.get(f"/api/posts/notebooks/{lab.notebook_id}/files", params={"path": "work"})
    ).json()
    assert [f["path"] for f in inner["data"]] == ["work/analysis.ipynb"]

    r = await alice.post(
        "/api/posts/notebooks",
        json={"notebook_id": lab.notebook_id, "path": "work/analysis.ipynb", "show_input": False},
    )
    assert r.status_code == 201, r.text
    post = r.json()
    assert post["title"] == "Analysis first"
    assert post["notebook"]["notebook_id"] == lab.notebook_id
    assert "printed first" in post["html"] and "secret_source" not in post["html"]
    assert not re.search(r"<script|onclick|onerror|javascript:", post["html"])
    (src,) = re.findall(r'<img src="([^"]+)" alt="output"', post["html"])
    async with httpx.AsyncClient(base_url=stack.base_url) as anonymous:
        assert (await anonymous.get(src)).headers["content-type"] == "image/png"

    await put_into_jupyter(
        stack, lab.notebook_id, "work/analysis.ipynb", hostile_notebook("second")
    )
    stale = await alice.post(f"{post['url']}/notebook/refresh", json={"version": 99})
    assert stale.status_code == 409 and stale.json()["current_version"] == post["version"]
    r = await alice.post(
        f"{post['url']}/notebook/refresh", json={"version": post["version"], "show_input": True}
    )
    assert r.status_code == 200, r.text
    refreshed = r.json()
    assert refreshed["version"] == post["version"] + 1
    assert "printed second" in refreshed["html"] and "printed first" not in refreshed["html"]
    assert "secret_source" in refreshed["html"] and refreshed["notebook"]["show_input"] is True

    # Not there, not a notebook, not yours.
    missing = await alice.post(
        "/api/posts/notebooks", json={"notebook_id": lab.notebook_id, "path": "nope.ipynb"}
    )
    assert missing.status_code == 404
    escape = await alice.post(
        "/api/posts/notebooks", json={"notebook_id": lab.notebook_id, "path": "../etc.ipynb"}
    )
    assert escape.status_code == 422 and escape.json()["detail"][0]["loc"] == ["body", "path"]
    bob = await stack.user("bob")
    theirs = await bob.post(
        "/api/posts/notebooks",
        json={"notebook_id": lab.notebook_id, "path": "work/analysis.ipynb"},
    )
    assert theirs.status_code == 404
    assert (await bob.get(f"/api/posts/notebooks/{lab.notebook_id}/files")).status_code == 404
