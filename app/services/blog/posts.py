"""Changing posts: create, partial update (on the version it was based on), delete, restore a
revision, preview. Each change renders the post once, commits once, then publishes its
live event (`app.services.blog.events`)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import Conflict, StaleVersion
from app.core.time import utcnow
from app.models.post import Post, PostCreate, PostPublic, PostStatus, PostUpdate
from app.models.post_parts import PostNotebook, PostTag
from app.models.user import User
from app.services.blog import events, images, revisions, slugs, status
from app.services.blog.queries import Links, owned_post, tags_by_post, to_public
from app.services.blog.renderer import CellRef, Rendered, parse, render


def own_host(settings: Settings) -> str:
    return urlsplit(settings.public_url).hostname or ""


def _user_id(user: User) -> int:
    assert user.id is not None
    return user.id


async def embedded_cells(
    db: AsyncSession, author_id: int, refs: frozenset[CellRef]
) -> dict[CellRef, str]:
    """The outputs of the cells `refs` name, from the author's own notebook posts only."""
    if not refs:
        return {}
    rows = await db.exec(
        select(col(PostNotebook.post_id), col(PostNotebook.cells))
        .join(Post, col(Post.id) == col(PostNotebook.post_id))
        .where(col(Post.author_id) == author_id)
        .where(col(PostNotebook.post_id).in_({post_id for post_id, _ in refs}))
    )
    found: dict[CellRef, str] = {}
    for post_id, cells in rows.all():
        for ref_post, cell in refs:
            if ref_post == post_id and isinstance(cells.get(cell), str):
                found[(post_id, cell)] = cells[cell]
    return found


async def render_for(
    db: AsyncSession,
    settings: Settings,
    author_id: int,
    body: str,
    *,
    excerpt: str | None = None,
    appendix: str = "",
) -> Rendered:
    parsed = parse(body)
    cells = await embedded_cells(db, author_id, parsed.cells)
    return render(
        parsed, own_host=own_host(settings), cells=cells, excerpt=excerpt, appendix=appendix
    )


async def rerender(db: AsyncSession, settings: Settings, post: Post) -> None:
    snapshot = await db.get(PostNotebook, post.id) if post.id is not None else None
    rendered = await render_for(
        db,
        settings,
        post.author_id,
        post.body,
        excerpt=post.excerpt,
        appendix=snapshot.html if snapshot else "",
    )
    post.html, post.summary, post.word_count = rendered.html, rendered.summary, rendered.word_count


async def preview(
    db: AsyncSession, settings: Settings, user: User, body: str, post_id: int | None = None
) -> str:
    """`body` as the page of the post `post_id` (or of a new one) would show it."""
    appendix = ""
    if post_id is not None:
        await owned_post(db, _user_id(user), post_id)
        snapshot = await db.get(PostNotebook, post_id)
        appendix = snapshot.html if snapshot else ""
    return (await render_for(db, settings, _user_id(user), body, appendix=appendix)).html


async def set_tags(db: AsyncSession, post_id: int, names: list[str]) -> None:
    await db.exec(delete(PostTag).where(col(PostTag.post_id) == post_id))
    seen: set[str] = set()
    for name in names:
        slug = slugs.tag_slug(name)
        if slug not in seen:
            seen.add(slug)
            db.add(PostTag(post_id=post_id, slug=slug, name=name, position=len(seen) - 1))


async def _commit(db: AsyncSession) -> None:
    """Commit; a slug another request took meanwhile is the 409 it would have been."""
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict("the slug is taken by another post", field="slug") from exc


async def publish(redis: Redis, action: Literal["created", "updated"], public: PostPublic) -> None:
    await events.publish_posts(redis, action, [public])


async def add_post(db: AsyncSession, settings: Settings, user: User, body: PostCreate) -> Post:
    """A new post, rendered, tagged and with its first revision; flushed, not committed."""
    author_id, now = _user_id(user), utcnow()
    if body.slug is not None:
        await slugs.claim(db, body.slug, None)
        slug = body.slug
    else:
        slug = await slugs.free_slug(db, slugs.slugify(body.title))
    post = Post(
        author_id=author_id,
        title=body.title,
        slug=slug,
        body=body.body,
        excerpt=body.excerpt,
        created_at=now,
        updated_at=now,
    )
    if body.cover_image_id is not None:
        post.cover_image_id = await images.owned_image_id(
            db, author_id, body.cover_image_id, "cover_image_id"
        )
    status.apply(post, body.status, body.publish_at, now=now)
    await rerender(db, settings, post)
    db.add(post)
    await db.flush()
    assert post.id is not None
    await set_tags(db, post.id, body.tags)
    revisions.record(db, post)
    return post


async def create_post(
    db: AsyncSession, redis: Redis, settings: Settings, user: User, body: PostCreate, links: Links
) -> PostPublic:
    post = await add_post(db, settings, user, body)
    await _commit(db)
    public = await to_public(db, post, links)
    await publish(redis, "created", public)
    return public


async def get_post(db: AsyncSession, user: User, post_id: int, links: Links) -> PostPublic:
    return await to_public(db, await owned_post(db, _user_id(user), post_id), links)


async def update_post(
    db: AsyncSession,
    redis: Redis,
    settings: Settings,
    user: User,
    post_id: int,
    body: PostUpdate,
    links: Links,
    *,
    force: bool = False,
) -> PostPublic:
    """Partial: only the fields sent change. A post that did not change keeps its version,
    unless `force` (its notebook snapshot changed: render it again)."""
    author_id = _user_id(user)
    post = await owned_post(db, author_id, post_id)
    if body.version != post.version:
        raise StaleVersion("the post", body.version, post.version)
    # Edited detached: the row is written only by the conditional UPDATE below, never by a
    # flush of this object.
    db.expunge(post)
    sent, now = body.model_fields_set, utcnow()
    before = post.model_dump()
    if body.title is not None:
        post.title = body.title
    if body.body is not None:
        post.body = body.body
    if "excerpt" in sent:
        post.excerpt = body.excerpt or None
    if "cover_image_id" in sent:
        post.cover_image_id = (
            await images.owned_image_id(db, author_id, body.cover_image_id, "cover_image_id")
            if body.cover_image_id is not None
            else None
        )
    if body.status is not None or "publish_at" in sent:
        target = body.status or PostStatus(post.status)
        publish_at = body.publish_at if "publish_at" in sent else post.publish_at
        status.apply(post, target, publish_at, now=now)
    if body.slug is not None and body.slug != post.slug:
        await slugs.claim(db, body.slug, post_id)
        slugs.remember(db, post.slug, post_id)
        post.slug = body.slug
    retagged = False
    if body.tags is not None:
        names = await tags_by_post(db, [post_id])
        if names.get(post_id, []) != body.tags:
            await set_tags(db, post_id, body.tags)
            retagged = True
    text_changed = (post.title, post.body) != (before["title"], before["body"])
    if force or text_changed or post.excerpt != before["excerpt"]:
        await rerender(db, settings, post)
    changed = force or retagged or post.model_dump() != before
    if not changed:
        await db.rollback()
        return await to_public(db, post, links)
    values = post.model_dump(exclude={"id", "version", "created_at"})
    values["updated_at"] = post.updated_at = now
    # On the version read above only: a concurrent save that won makes this one stale.
    result = await db.exec(
        update(Post)
        .where(col(Post.id) == post_id, col(Post.version) == body.version)
        .values(**values, version=body.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        await db.rollback()
        latest = await owned_post(db, author_id, post_id)
        raise StaleVersion("the post", body.version, latest.version)
    post.version = body.version + 1
    if text_changed:
        revisions.record(db, post)
        await revisions.prune(db, post_id, keep=settings.blog_revisions_kept)
    await _commit(db)
    public = await to_public(db, await owned_post(db, author_id, post_id), links)
    await publish(redis, "updated", public)
    return public


async def restore_revision(
    db: AsyncSession,
    redis: Redis,
    settings: Settings,
    user: User,
    post_id: int,
    version: int,
    links: Links,
    *,
    over: int,
) -> PostPublic:
    """Revision `version` becomes current, replacing the post as it was at `over`: a restore
    chosen while looking at an older post must not silently undo a save made since."""
    post = await owned_post(db, _user_id(user), post_id)
    revision = await revisions.get_revision(db, post, version)
    edit = PostUpdate(version=over, title=revision.title, body=revision.body)
    return await update_post(db, redis, settings, user, post_id, edit, links)


async def delete_post(db: AsyncSession, redis: Redis, user: User, post_id: int) -> None:
    author_id = _user_id(user)
    post = await owned_post(db, author_id, post_id)
    version = post.version
    await db.delete(post)  # tags, old slugs, revisions and snapshot go by cascade
    await db.commit()
    await events.publish_deleted(redis, author_id, post_id, version)
