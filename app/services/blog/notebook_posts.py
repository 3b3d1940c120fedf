"""Notebook posts: a post made from a notebook server's .ipynb (or an uploaded one), its
snapshot frozen into the post, refreshed on request from the same notebook.

The post's own Markdown body (empty at first) comes before the snapshot on the page.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from redis.asyncio import Redis
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import Conflict, Invalid, StaleVersion
from app.core.time import utcnow
from app.models.post import PostCreate, PostPublic, PostUpdate
from app.models.post_parts import NotebookImport, PostNotebook
from app.models.user import User
from app.services.blog import images, jupyter, notebook, posts
from app.services.blog.queries import Links, owned_post, to_public
from app.services.notebooks import notebooks


async def _snapshot(
    db: AsyncSession,
    settings: Settings,
    owner_id: int,
    raw: bytes | dict[str, Any],
    *,
    show_input: bool,
    field: str,
) -> tuple[notebook.Converted, str | None]:
    extracted = await asyncio.to_thread(notebook.read, raw, field_name=field)
    urls: list[str | None] = []
    for data in extracted.images:
        if len(data) > settings.blog_image_max_bytes:
            urls.append(None)
            continue
        try:
            image = await images.store(db, owner_id, data)
        except Invalid:
            urls.append(None)  # not an image we keep: the output shows nothing
        else:
            urls.append(images.image_path(image.key, image.content_type))
    converted = await asyncio.to_thread(
        notebook.convert,
        extracted,
        urls,
        show_input=show_input,
        own_host=posts.own_host(settings),
    )
    return converted, extracted.title


@dataclass(frozen=True, slots=True)
class _Source:
    """A notebook to make a post of, and where it came from."""

    raw: bytes | dict[str, Any]
    field: str  # the request's field an error in it is reported on
    path: str
    notebook_id: int | None  # None: uploaded
    show_input: bool
    title: str | None  # the user's; else the notebook's first heading, else its file name


async def _create(
    db: AsyncSession, redis: Redis, settings: Settings, user: User, links: Links, source: _Source
) -> PostPublic:
    assert user.id is not None
    converted, heading = await _snapshot(
        db, settings, user.id, source.raw, show_input=source.show_input, field=source.field
    )
    title = source.title or heading or PurePosixPath(source.path).stem or "Notebook"
    # Created as an empty draft first, then given its snapshot and rendered once more, so
    # the post and its snapshot are one commit.
    post = await posts.add_post(db, settings, user, PostCreate(title=title[:200]))
    assert post.id is not None
    db.add(
        PostNotebook(
            post_id=post.id,
            notebook_id=source.notebook_id,
            path=source.path,
            show_input=source.show_input,
            html=converted.html,
            cells=converted.cells,
        )
    )
    await db.flush()
    await posts.rerender(db, settings, post)
    db.add(post)
    await db.commit()
    public = await to_public(db, post, links)
    await posts.publish(redis, "created", public)
    return public


async def import_from_server(
    db: AsyncSession,
    redis: Redis,
    settings: Settings,
    user: User,
    body: NotebookImport,
    links: Links,
) -> PostPublic:
    server = await notebooks.get_owned(db, user, body.notebook_id)
    path = jupyter.check_path(body.path, notebook=True)
    document = await jupyter.read_notebook(settings, server, path)
    source = _Source(document, "path", path, server.id, body.show_input, body.title)
    return await _create(db, redis, settings, user, links, source)


async def import_upload(
    db: AsyncSession,
    redis: Redis,
    settings: Settings,
    user: User,
    data: bytes,
    *,
    filename: str,
    show_input: bool,
    title: str | None,
    links: Links,
) -> PostPublic:
    name = PurePosixPath(filename or "notebook.ipynb").name[:1024]
    source = _Source(data, "file", name, None, show_input, title)
    return await _create(db, redis, settings, user, links, source)


async def refresh(
    db: AsyncSession,
    redis: Redis,
    settings: Settings,
    user: User,
    post_id: int,
    *,
    version: int,
    show_input: bool | None,
    links: Links,
) -> PostPublic:
    """Read the notebook again and replace the snapshot (a new version of the post)."""
    assert user.id is not None
    post = await owned_post(db, user.id, post_id)
    snapshot = await db.get(PostNotebook, post_id)
    if snapshot is None:
        raise Conflict("this post is not made from a notebook")
    if snapshot.notebook_id is None:
        raise Conflict("this notebook was uploaded (or its server deleted): upload it again")
    if version != post.version:
        raise StaleVersion("the post", version, post.version)
    server = await notebooks.get_owned(db, user, snapshot.notebook_id)
    document = await jupyter.read_notebook(settings, server, snapshot.path)
    keep_input = snapshot.show_input if show_input is None else show_input
    converted, _ = await _snapshot(
        db, settings, user.id, document, show_input=keep_input, field="path"
    )
    snapshot.html, snapshot.cells, snapshot.show_input = converted.html, converted.cells, keep_input
    snapshot.imported_at = utcnow()
    db.add(snapshot)
    await db.flush()
    # The snapshot is part of the post: saving it is an edit of the version sent.
    return await posts.update_post(
        db, redis, settings, user, post_id, PostUpdate(version=version), links, force=True
    )
