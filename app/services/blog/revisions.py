"""Revisions: every save that changes a post's title or body is kept, newest first, with a
diff against the current body; restoring one is a new save."""

from __future__ import annotations

import difflib

from sqlmodel import col, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import NotFound
from app.models.post import Post
from app.models.post_parts import PostRevision, RevisionPublic, RevisionsPublic, RevisionSummary


def record(db: AsyncSession, post: Post) -> None:
    """Keep the post as it is now, under its current version."""
    assert post.id is not None
    db.add(
        PostRevision(
            post_id=post.id,
            version=post.version,
            title=post.title,
            body=post.body,
            created_at=post.updated_at,
        )
    )


async def prune(db: AsyncSession, post_id: int, *, keep: int) -> None:
    """Delete all but the `keep` newest revisions of a post (pending ones flushed first)."""
    await db.flush()
    oldest_kept = (
        await db.exec(
            select(col(PostRevision.version))
            .where(col(PostRevision.post_id) == post_id)
            .order_by(col(PostRevision.version).desc())
            .offset(keep - 1)
            .limit(1)
        )
    ).first()
    if oldest_kept is not None:
        await db.exec(
            delete(PostRevision).where(
                col(PostRevision.post_id) == post_id, col(PostRevision.version) < oldest_kept
            )
        )


async def list_revisions(
    db: AsyncSession, post: Post, *, limit: int, offset: int
) -> RevisionsPublic:
    where = col(PostRevision.post_id) == post.id
    total = (await db.exec(select(func.count()).select_from(PostRevision).where(where))).one()
    rows = await db.exec(
        select(
            col(PostRevision.version),
            col(PostRevision.title),
            col(PostRevision.created_at),
            func.length(col(PostRevision.body)),
        )
        .where(where)
        .order_by(col(PostRevision.version).desc())
        .limit(limit)
        .offset(offset)
    )
    data = [
        RevisionSummary(version=v, title=t, created_at=c, size=int(n or 0)) for v, t, c, n in rows
    ]
    return RevisionsPublic(data=data, count=total)


async def get_revision(db: AsyncSession, post: Post, version: int) -> PostRevision:
    revision = (
        await db.exec(
            select(PostRevision).where(
                col(PostRevision.post_id) == post.id, col(PostRevision.version) == version
            )
        )
    ).first()
    if revision is None:
        raise NotFound("revision not found")
    return revision


def diff(old: str, new: str, *, old_name: str, new_name: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=old_name,
        tofile=new_name,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def public(revision: PostRevision, current: Post) -> RevisionPublic:
    return RevisionPublic(
        version=revision.version,
        title=revision.title,
        created_at=revision.created_at,
        size=len(revision.body),
        body=revision.body,
        diff=diff(
            revision.body,
            current.body,
            old_name=f"version {revision.version}",
            new_name=f"version {current.version} (current)",
        ),
    )
