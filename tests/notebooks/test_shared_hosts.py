"""Without wildcard DNS: every notebook under one separate host, `{domain}/{key}/`, apart
from the dashboard's origin; each notebook's pass is confined to its own path there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.core.config import Settings
from app.core.credentials import NOTEBOOK_COOKIE
from tests.notebooks.test_identity import healthy
from tests.support import loopback
from tests.support.environment import PASSWORD
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack

HTML = {"Accept": "text/html"}


@pytest.fixture
def stack_settings(stack_settings: Settings) -> Settings:
    return stack_settings.model_copy(
        update={"notebook_hosts": "shared", "notebook_domain": "notebooks.localhost"}
    )


async def test_notebooks_share_one_host_apart_from_the_dashboard(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    first, second = await healthy(alice, feed, "first"), await healthy(alice, feed, "second")
    port = stack.base_url.rsplit(":", 1)[1]
    origin = f"http://notebooks.localhost:{port}"
    assert stack.notebook_url(first["key"]) == origin
    options = (await alice.get("/api/notebooks/options")).json()
    assert options["notebook_url_template"] == f"{origin}/{{key}}/"

    script = stack.notebook_client(first["key"], alice)
    # Jupyter's base URL is the notebook's path on the shared host.
    assert (await script.get(f"/{first['key']}/api/status")).status_code == 200
    r = await script.get(f"/{first['key']}", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/{first['key']}/"
    assert (await script.get("/api/notebooks")).status_code == 404  # not the api here

    browser = loopback.client(base_url=stack.base_url, timeout=30)
    stack.clients.append(browser)
    r = await browser.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    r.raise_for_status()
    r = await browser.get(f"/notebooks/{first['id']}/api/status", follow_redirects=True)
    assert r.status_code == 200 and str(r.url) == f"{origin}/{first['key']}/api/status"
    (notebook_pass,) = [c for c in browser.cookies.jar if c.name == NOTEBOOK_COOKIE]
    assert notebook_pass.path == f"/{first['key']}/"
    assert notebook_pass.domain == "notebooks.localhost"
    # The other notebook's path is not covered by that pass: handed over again.
    r = await browser.get(f"{origin}/{second['key']}/api/status", headers=HTML)
    assert r.status_code == 302
    assert r.headers["location"] == f"{stack.base_url}/notebooks/{second['key']}/api/status"
