"""The public blog's HTML pages: the index, tag and author pages (paged), a post, search.

Listed posts (status `published`) appear on the index, tag and author pages and in search.
A post's page also answers for `unlisted` ones, and for drafts and scheduled posts when
their author is signed in (a preview, never cached). An old slug answers 301 to the current
one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.deps import SessionDep
from app.blog_site import http
from app.blog_site.cache import page_cache
from app.blog_site.deps import SiteSettingsDep as SettingsDep
from app.blog_site.loading import views
from app.blog_site.viewer import ViewerId
from app.blog_site.views import Site, author_path, post_path, render_template, tag_path
from app.services.blog import public, search
from app.services.blog.public import Listing
from app.services.blog.slugs import tag_slug

router = APIRouter(prefix="/blog", tags=["blog"], default_response_class=HTMLResponse)

PageNumber = Annotated[int, Query(ge=1, le=100_000, description="1 is the newest.")]
_HTML: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/html": {}}, "description": "The page"},
    404: {"content": {"text/html": {}}, "description": "No such page"},
}


@dataclass(frozen=True, slots=True)
class Pages:
    number: int
    count: int
    previous: str | None
    next: str | None


def _pages(path: str, number: int, total: int, size: int, **params: str) -> Pages:
    count = max(1, math.ceil(total / size))

    def link(n: int) -> str:
        query = urlencode({**params, **({"page": str(n)} if n > 1 else {})})
        return path + (f"?{query}" if query else "")

    return Pages(
        number,
        count,
        link(number - 1) if number > 1 else None,
        link(number + 1) if number < count else None,
    )


def not_found(request: Request, site: Site, message: str = "There is no such page.") -> Response:
    page = render_template("error.html", site=site, heading="Not found", message=message)
    return http.send(request, page, status_code=404)


async def _listing_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    listing: Listing,
    *,
    path: str,
    heading: str,
    page: int,
    empty: str,
) -> Response:
    site = Site.of(settings)
    size = settings.blog_page_size
    count, newest = await public.state(db, listing)
    if page > 1 and (page - 1) * size >= count:
        return not_found(request, site)
    cache, key = page_cache(request), ("list", listing, page, count, newest)
    cached = cache.get(key)
    if cached is not None:
        return http.send(request, cached.content, last_modified=newest)
    posts, total = await public.page(db, listing, limit=size, offset=(page - 1) * size)
    content = render_template(
        "list.html",
        site=site,
        heading=heading,
        posts=await views(db, posts),
        pages=_pages(path, page, total, size),
        empty=empty,
        canonical=site.url(path + (f"?page={page}" if page > 1 else "")),
        feed={"title": heading, "url": site.url(path + "/feed.xml")},
    )
    cache.put(key, content)
    return http.send(request, content, last_modified=newest)


@router.get("", responses=_HTML, summary="The blog: newest posts first")
async def blog_index(
    request: Request, db: SessionDep, settings: SettingsDep, page: PageNumber = 1
) -> Response:
    return await _listing_page(
        request,
        db,
        settings,
        Listing(),
        path="/blog",
        heading=settings.blog_title,
        page=page,
        empty="Nothing has been published yet.",
    )


@router.get("/search", responses=_HTML, summary="Search posts")
async def blog_search(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=200, description="Words to find.")] = "",
    page: PageNumber = 1,
) -> Response:
    site, size, query = Site.of(settings), settings.blog_page_size, " ".join(q.split())
    hits: list[search.Hit] = []
    total = 0
    if query:
        hits, total = await search.search(db, query, limit=size, offset=(page - 1) * size)
    posts = await views(
        db, [h.post for h in hits], {h.post.id: h.snippet for h in hits if h.post.id}
    )
    content = render_template(
        "search.html",
        site=site,
        query=query,
        total=total,
        posts=posts,
        pages=_pages("/blog/search", page, total, size, q=query),
        empty="No post matches.",
        robots="noindex",
    )
    return http.send(request, content)


@router.get("/tags/{tag}", responses=_HTML, summary="Posts with a tag")
async def blog_tag(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    tag: Annotated[str, Path(max_length=200)],
    page: PageNumber = 1,
) -> Response:
    name = await public.tag_name(db, tag_slug(tag))
    if name is None:
        return not_found(request, Site.of(settings), "No post has this tag.")
    return await _listing_page(
        request,
        db,
        settings,
        Listing(tag=tag_slug(tag)),
        path=tag_path(name),
        heading=f"#{name}",
        page=page,
        empty="",
    )


@router.get("/authors/{username}", responses=_HTML, summary="An author's posts")
async def blog_author(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Path(max_length=64)],
    page: PageNumber = 1,
) -> Response:
    author = await public.author(db, username)
    if author is None:
        return not_found(request, Site.of(settings), "This author has published nothing.")
    return await _listing_page(
        request,
        db,
        settings,
        Listing(author_id=author.id),
        path=author_path(author.username),
        heading=f"Posts by {author.username}",
        page=page,
        empty="",
    )


@router.get(
    "/{slug}",
    responses={**_HTML, 301: {"description": "An old slug: the post's current address"}},
    summary="A post",
)
async def blog_post(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    viewer: ViewerId,
    slug: Annotated[str, Path(max_length=200)],
) -> Response:
    site = Site.of(settings)
    head = await public.head(db, slug)
    cache = page_cache(request)
    if head is not None and public.may_see(head.status, head.author_id, viewer):
        cached = cache.get(("post", head.id, head.version))
        if cached is not None:
            return http.send(request, cached.content, last_modified=head.updated_at)
    found = await public.by_slug(db, slug, viewer)
    if found.redirect_to is not None:
        return RedirectResponse(post_path(found.redirect_to), status_code=301)
    if found.post is None:
        return not_found(request, site, "There is no such post.")
    (post,) = await views(db, [found.post])
    content = render_template(
        "post.html",
        site=site,
        post=post,
        canonical=site.url(post.path),
        feed={"title": site.title, "url": site.url("/blog/feed.xml")},
        robots="noindex" if post.status != "published" else None,
    )
    preview = post.status not in ("published", "unlisted")
    if not preview:  # an author's preview says so: never serve it to anyone else
        cache.put(("post", post.id, found.post.version), content)
    return http.send(request, content, last_modified=found.post.updated_at, private=preview)
