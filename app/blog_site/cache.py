"""Rendered public pages, kept per api process and checked against the database on every
request, so a page is never older than the data behind it.

A page is stored under a key that changes whenever what it shows changes: a post's page
under its id and version (every edit, retag, cover change and publication bumps the
version); a listing's page under the listing's count of posts and the newest change among
them (publishing, unpublishing, editing and deleting each move one of the two). Looking the
key up is one small query; rendering, and the other queries, happen on a miss only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from starlette.requests import HTTPConnection

MAX_PAGES = 512


@dataclass(frozen=True, slots=True)
class Page:
    content: str


class PageCache:
    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self._pages: OrderedDict[Hashable, Page] = OrderedDict()
        self._max = max_pages

    def get(self, key: Hashable) -> Page | None:
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
        return page

    def put(self, key: Hashable, content: str) -> Page:
        page = Page(content)
        self._pages[key] = page
        self._pages.move_to_end(key)
        while len(self._pages) > self._max:
            self._pages.popitem(last=False)
        return page


def page_cache(conn: HTTPConnection) -> PageCache:
    """The app's cache (one per app, so two apps in one process never share pages)."""
    state = conn.app.state
    cache: PageCache | None = getattr(state, "blog_pages", None)
    if cache is None:
        cache = state.blog_pages = PageCache()
    return cache
