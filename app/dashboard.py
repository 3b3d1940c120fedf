"""Serves the built dashboard (web/dist): hashed assets cached for good, the app for every page.

Client-side routes (`/todos`, `/settings`, ...) answer index.html. Backend paths never do: the
fallback route does not match `/api/...`, the docs, `/openapi.json` or `/notebooks/...`, so an
unknown `/api/...` stays a JSON 404 and routes registered later (the notebook proxy) still
win. Files are looked up per request, so a build made while the api runs is picked up.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.requests import Request
from starlette.routing import Match, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

DEFAULT_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"

# Paths that belong to the backend, never to the dashboard.
RESERVED_PREFIXES = (
    "/api",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static-offline-docs",
    "/notebooks",
    "/blog",
    "/sitemap.xml",
    "/robots.txt",
)
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WorkSpace</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto;
padding: 0 1rem">
<h1>WorkSpace</h1>
<p>The API is running, but the dashboard has not been built yet (no <code>{dist}</code>).</p>
<p>Build it with <code>make web-build</code> (or <code>scripts/prepare-assets.sh</code>;
<code>make run</code> does it for you), then reload this page.</p>
<p>Meanwhile the API and its documentation are at <a href="/docs">/docs</a>.</p>
</body></html>
"""


def is_reserved(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in RESERVED_PREFIXES)


class _AssetFiles(StaticFiles):
    """Vite's hashed assets: a changed file gets a new name, so each can be cached for good."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        return response


class _DashboardRoute(Route):
    """GET/HEAD of any path that is not the backend's."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and is_reserved(scope["path"]):
            return Match.NONE, {}
        return super().matches(scope)


def mount_dashboard(app: FastAPI, dist: Path) -> None:
    dist = dist.resolve()
    app.mount("/assets", _AssetFiles(directory=dist / "assets", check_dir=False), name="assets")

    async def page(request: Request) -> Response:
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(_MISSING.format(dist=html.escape(str(dist))), status_code=503)
        # Top-level files of the build (favicon.ico...) are served as they are.
        name = request.path_params.get("path", "")
        if name and "/" not in name and not name.startswith("."):
            candidate = dist / name
            if candidate.is_file() and candidate.name != "index.html":
                return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": NO_CACHE})

    route: Any = _DashboardRoute(
        "/{path:path}", page, methods=["GET", "HEAD"], include_in_schema=False
    )
    app.router.routes.append(route)
