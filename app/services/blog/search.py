"""Full-text search over listed posts' titles and bodies: ranked, with a highlighted snippet
from the body.

PostgreSQL: `websearch_to_tsquery` against the weighted vector the migration indexes (GIN),
ranked by `ts_rank`, snippets by `ts_headline`. SQLite: the FTS5 table the migration keeps
in step, ranked by `bm25` (titles weigh more), snippets by `snippet()`. Both use English
stemming, and both answer the same shape.

Snippets are marked with private-use characters, not HTML, so the text around them is
escaped here, once, whatever the database returned.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.post import Post, PostStatus

OPEN, CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
# The expression the PostgreSQL index was built on (alembic/versions/20261201_0004_blog.py).
_PG_VECTOR = (
    "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')"
)
_PG_HEADLINE = (
    f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=35, MinWords=15, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


@dataclass(frozen=True, slots=True)
class Hit:
    post: Post
    snippet: str  # HTML: escaped text with <mark> around the matches


def snippet_html(raw: str) -> str:
    return html.escape(raw).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


def _fts5_query(q: str) -> str:
    """Every word, each quoted (so FTS5 syntax in the input means nothing)."""
    return " ".join(f'"{w}"' for w in _WORD.findall(q))


async def search(db: AsyncSession, q: str, *, limit: int, offset: int) -> tuple[list[Hit], int]:
    """Listed posts matching every word of `q`, best first, and how many match."""
    params = {"q": q, "status": PostStatus.published.value, "limit": limit, "offset": offset}
    if db.get_bind().dialect.name == "postgresql":
        where = f"status = :status AND ({_PG_VECTOR}) @@ websearch_to_tsquery('english', :q)"
        count_sql = f"SELECT count(*) FROM posts WHERE {where}"
        page_sql = (
            f"SELECT id, ts_headline('english', body, websearch_to_tsquery('english', :q), "
            f"'{_PG_HEADLINE}') AS snippet FROM posts WHERE {where} "
            f"ORDER BY ts_rank({_PG_VECTOR}, websearch_to_tsquery('english', :q)) DESC, "
            "published_at DESC, id DESC LIMIT :limit OFFSET :offset"
        )
    else:
        params["q"] = _fts5_query(q)
        if not params["q"]:
            return [], 0
        where = "posts_fts MATCH :q AND posts.status = :status"
        join = "FROM posts_fts JOIN posts ON posts.id = posts_fts.rowid"
        count_sql = f"SELECT count(*) {join} WHERE {where}"
        page_sql = (
            f"SELECT posts.id, snippet(posts_fts, 1, '{OPEN}', '{CLOSE}', ' … ', 32) {join} "
            f"WHERE {where} ORDER BY bm25(posts_fts, 10.0, 1.0), posts.published_at DESC "
            "LIMIT :limit OFFSET :offset"
        )
    total = int((await db.exec(text(count_sql), params=params)).scalar_one())  # type: ignore[call-overload]
    if not total:
        return [], 0
    found = [(int(i), s or "") for i, s in (await db.exec(text(page_sql), params=params))]  # type: ignore[call-overload]
    posts = {
        p.id: p
        for p in (await db.exec(select(Post).where(col(Post.id).in_([i for i, _ in found]))))
    }
    hits = [Hit(posts[i], snippet_html(s)) for i, s in found if i in posts]
    return hits, total
