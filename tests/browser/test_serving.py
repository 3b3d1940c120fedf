"""The api serves the built dashboard: client routes fall back to the app, backend paths never."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from app.core.config import Settings
from app.dashboard import mount_dashboard
from app.main import create_app

INDEX = (
    '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1a2b.js"></script>'
)


def make_dist(root: Path) -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "app-1a2b.js").write_text("console.log('hi')")
    (root / "favicon.svg").write_text("<svg/>")
    return root


def make_app(dist: Path) -> FastAPI:
    app = FastAPI()

    @app.get("/api/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    mount_dashboard(app, dist)

    # Registered after the dashboard, like a router added later: still reachable.
    @app.get("/notebooks/{notebook_id}/{path:path}")
    async def proxy(notebook_id: int, path: str) -> PlainTextResponse:
        return PlainTextResponse(f"notebook {notebook_id}: {path}")

    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = make_app(make_dist(tmp_path / "dist"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.mark.parametrize("path", ["/", "/todos", "/todos?list=3&q=x", "/settings", "/a/b/c"])
async def test_client_routes_get_the_app(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 200
    assert r.text == INDEX
    assert r.headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_good(client: httpx.AsyncClient) -> None:
    r = await client.get("/assets/app-1a2b.js")
    assert r.status_code == 200
    assert "immutable" in r.headers["cache-control"]
    assert "max-age=31536000" in r.headers["cache-control"]
    missing = await client.get("/assets/gone-0000.js")
    assert missing.status_code == 404
    assert "immutable" not in missing.headers.get("cache-control", "")


async def test_top_level_files_of_the_build(client: httpx.AsyncClient) -> None:
    r = await client.get("/favicon.svg")
    assert r.text == "<svg/>"
    assert (await client.get("/.vite/manifest.json")).text == INDEX
    assert (await client.get("/../../etc/passwd")).text == INDEX


@pytest.mark.parametrize(
    "path",
    ["/api/nope", "/api", "/docs/x", "/redoc/x", "/openapi.json/x", "/static-offline-docs/x.js"],
)
async def test_backend_paths_are_never_the_app(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"detail": "Not Found"}


async def test_routes_added_later_still_win(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/ping")).json() == {"pong": "yes"}
    r = await client.get("/notebooks/4/lab/tree")
    assert r.text == "notebook 4: lab/tree"


async def test_without_a_build_the_root_says_how_to_make_one(tmp_path: Path) -> None:
    app = make_app(tmp_path / "no-dist")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.get("/")
        assert r.status_code == 503
        assert "make web-build" in r.text
        assert (await c.get("/api/nope")).status_code == 404


async def test_the_real_app_keeps_api_404s_and_docs() -> None:
    # The real routes (docs, openapi, api); no lifespan runs, so nothing is connected to.
    settings = Settings(_env_file=None, environment="development", database_url="sqlite://")
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        assert (await c.get("/api/does-not-exist")).json() == {"detail": "Not Found"}
        assert (await c.get("/openapi.json")).json()["info"]["title"] == "WorkSpace"
        docs = await c.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
