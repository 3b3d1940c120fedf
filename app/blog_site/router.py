"""The public site's routes, at the root (not under /api)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from app.blog_site import feeds, files, pages


def _answer_head(router: APIRouter) -> None:
    """HEAD too, for crawlers and link checkers (uvicorn sends the headers only); kept out
    of the schema, where it would repeat each GET."""
    for route in list(router.routes):
        if isinstance(route, APIRoute) and "GET" in (route.methods or set()):
            router.add_api_route(
                route.path.removeprefix(router.prefix),
                route.endpoint,
                methods=["HEAD"],
                include_in_schema=False,
                response_class=route.response_class,
                name=f"{route.name}_head",
            )


site_router = APIRouter()
# Feeds and files first: `/blog/{slug}` would otherwise take `/blog/feed.xml`.
for module in (feeds, files, pages):
    _answer_head(module.router)
    site_router.include_router(module.router)
