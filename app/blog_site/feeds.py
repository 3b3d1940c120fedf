"""Atom feeds (the blog's, a tag's, an author's), the sitemap and robots.txt.

Feeds and the sitemap hold listed posts only. An entry's id names the post, not its slug,
so renaming a post does not make readers see it twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.api.deps import SessionDep
from app.blog_site import http
from app.blog_site.deps import SiteSettingsDep as SettingsDep
from app.blog_site.loading import views
from app.blog_site.pages import not_found
from app.blog_site.views import Site, author_path, render_template, tag_path
from app.services.blog import public
from app.services.blog.public import Listing
from app.services.blog.slugs import tag_slug

router = APIRouter(tags=["blog"])
ATOM = "application/atom+xml; charset=utf-8"
_ATOM: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/atom+xml": {}}, "description": "An Atom feed"},
    404: {"content": {"text/html": {}}, "description": "No such tag or author"},
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def _feed(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    listing: Listing,
    *,
    title: str,
    page_path: str,
) -> Response:
    site = Site.of(settings)
    posts, _ = await public.page(db, listing, limit=settings.blog_feed_size, offset=0)
    updated = await public.last_modified(db, listing)
    content = render_template(
        "feed.xml",
        site=site,
        title=title,
        feed_id=site.url(page_path),
        self_url=site.url(page_path + "/feed.xml"),
        page_url=site.url(page_path),
        updated=updated or _EPOCH,
        posts=await views(db, posts),
    )
    return http.send(request, content, media_type=ATOM, last_modified=updated)


@router.get("/blog/feed.xml", responses=_ATOM, response_class=Response, summary="The blog's feed")
async def blog_feed(request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    return await _feed(
        request, db, settings, Listing(), title=settings.blog_title, page_path="/blog"
    )


@router.get(
    "/blog/tags/{tag}/feed.xml", responses=_ATOM, response_class=Response, summary="A tag's feed"
)
async def tag_feed(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    tag: Annotated[str, Path(max_length=200)],
) -> Response:
    name = await public.tag_name(db, tag_slug(tag))
    if name is None:
        return not_found(request, Site.of(settings), "No post has this tag.")
    return await _feed(
        request,
        db,
        settings,
        Listing(tag=tag_slug(tag)),
        title=f"#{name} · {settings.blog_title}",
        page_path=tag_path(name),
    )


@router.get(
    "/blog/authors/{username}/feed.xml",
    responses=_ATOM,
    response_class=Response,
    summary="An author's feed",
)
async def author_feed(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Path(max_length=64)],
) -> Response:
    author = await public.author(db, username)
    if author is None:
        return not_found(request, Site.of(settings), "This author has published nothing.")
    return await _feed(
        request,
        db,
        settings,
        Listing(author_id=author.id),
        title=f"{author.username} · {settings.blog_title}",
        page_path=author_path(author.username),
    )


@router.get(
    "/sitemap.xml",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "The sitemap"}},
    summary="Every listed post",
)
async def sitemap(request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    posts = await public.everything_listed(db)
    updated = max((u for _, u in posts), default=None)
    content = render_template("sitemap.xml", site=Site.of(settings), posts=posts, updated=updated)
    return http.send(
        request, content, media_type="application/xml; charset=utf-8", last_modified=updated
    )


@router.get(
    "/robots.txt",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "robots.txt"}},
)
async def robots(request: Request, settings: SettingsDep) -> Response:
    site = Site.of(settings)
    lines = [
        "User-agent: *",
        "Allow: /blog",
        "Disallow: /api/",
        "Disallow: /notebooks/",
        "Disallow: /blog/search",
        f"Sitemap: {site.url('/sitemap.xml')}",
        "",
    ]
    return http.send(request, "\n".join(lines), media_type="text/plain; charset=utf-8")
