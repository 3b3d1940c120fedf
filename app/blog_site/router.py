"""The public site's routes, at the root (not under /api)."""

from __future__ import annotations

from fastapi import APIRouter

from app.blog_site import feeds, files, pages

site_router = APIRouter()
# Feeds and files first: `/blog/{slug}` would otherwise take `/blog/feed.xml`.
for module in (feeds, files, pages):
    site_router.include_router(module.router)
