"""What the templates show: posts as plain view objects, and the Jinja environment.

Templates autoescape (HTML and XML alike); a post's HTML is marked safe only because it
has passed the sanitizer (`app.services.blog.sanitize`) when it was saved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.core.config import Settings
from app.models.post import Post
from app.services.blog.renderer import reading_minutes, stylesheet_rules
from app.services.blog.slugs import tag_slug

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "blog"


@dataclass(frozen=True, slots=True)
class Site:
    """The installation as readers see it: its name and canonical base URL."""

    title: str
    base: str  # WORKSPACE_PUBLIC_URL without a trailing slash

    @classmethod
    def of(cls, settings: Settings) -> Site:
        return cls(settings.blog_title, settings.public_url.rstrip("/"))

    @property
    def host(self) -> str:
        return urlsplit(self.base).hostname or "localhost"

    def url(self, path: str) -> str:
        return self.base + path


def post_path(slug: str) -> str:
    return f"/blog/{slug}"


def tag_path(name: str) -> str:
    return f"/blog/tags/{quote(tag_slug(name))}"


def author_path(username: str) -> str:
    return f"/blog/authors/{quote(username)}"


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class PostView:
    id: int
    title: str
    path: str
    html: Markup
    summary: str
    author: str
    author_path: str
    status: str
    published_at: datetime | None
    updated_at: datetime
    tags: list[Tag]
    cover_path: str | None
    reading_minutes: int
    snippet: Markup | None = None  # search results: sanitized, escaped text with <mark>


def view(
    post: Post, *, author: str, tags: list[str], cover_path: str | None, snippet: str | None = None
) -> PostView:
    assert post.id is not None
    return PostView(
        id=post.id,
        title=post.title,
        path=post_path(post.slug),
        html=Markup(post.html),  # sanitized when saved
        summary=post.summary,
        author=author,
        author_path=author_path(author),
        status=post.status,
        published_at=post.published_at,
        updated_at=post.updated_at,
        tags=[Tag(name, tag_path(name)) for name in tags],
        cover_path=cover_path,
        reading_minutes=reading_minutes(post.word_count),
        snippet=Markup(snippet) if snippet is not None else None,
    )


def _date(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _iso(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else ""


@lru_cache(maxsize=1)
def stylesheet() -> tuple[bytes, str]:
    """The blog's one stylesheet (ours plus Pygments' colours) and its version hash."""
    css = (TEMPLATES / "blog.css").read_text() + "\n" + stylesheet_rules()
    data = css.encode()
    return data, hashlib.blake2b(data, digest_size=8).hexdigest()


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["date"] = _date
    env.filters["iso"] = _iso
    env.filters["text"] = str  # Markup to plain text, which autoescape then escapes
    env.globals["css_version"] = stylesheet()[1]
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
