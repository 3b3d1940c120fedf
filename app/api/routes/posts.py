"""Blog posts: your posts, with filters; create, read, partial update (versioned), delete;
preview; revisions; images."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile, status
from redis.asyncio import Redis
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api.deps import CurrentUser, RedisDep, SessionDep, SettingsDep, id_path
from app.core.config import Settings
from app.core.errors import Invalid, TooLarge
from app.models.post import (
    PostCreate,
    PostHtml,
    PostPreview,
    PostPublic,
    PostQuery,
    PostsPublic,
    PostUpdate,
)
from app.models.post_parts import (
    PostImagePublic,
    PostImagesPublic,
    RevisionPublic,
    RevisionRestore,
    RevisionsPublic,
)
from app.services.blog import images, posts, revisions
from app.services.blog.queries import Links, owned_post
from app.services.blog.queries import list_posts as query_posts

router = APIRouter(prefix="/posts", tags=["posts"])

PostId = Annotated[int, id_path("post")]
Version = Annotated[int, id_path("revision (the post's version it was saved as)")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such post (or another user's)"}
}


async def get_links(request: Request, settings: SettingsDep) -> Links:
    """Absolute API URLs from the request's base; public pages under WORKSPACE_PUBLIC_URL."""
    base = str(request.url_for("list_posts")).rstrip("/")
    return Links(api=lambda post_id: f"{base}/{post_id}", site=settings.public_url)


LinksDep = Annotated[Links, Depends(get_links)]


@dataclass(frozen=True, slots=True)
class PostWrites:
    """What a change to a post takes: the session, Redis (for its live event), the settings
    (to render it) and the links of the answer."""

    db: AsyncSession
    redis: Redis
    settings: Settings
    links: Links


async def get_post_writes(
    db: SessionDep, redis: RedisDep, settings: SettingsDep, links: LinksDep
) -> PostWrites:
    return PostWrites(db, redis, settings, links)


PostWritesDep = Annotated[PostWrites, Depends(get_post_writes)]


@router.get("", response_model=PostsPublic)
async def list_posts(
    query: Annotated[PostQuery, Query()], user: CurrentUser, db: SessionDep, links: LinksDep
) -> PostsPublic:
    """Your posts, most recently changed first; `count` is the total, not the page."""
    assert user.id is not None
    return await query_posts(db, user.id, query, links)


@router.post(
    "",
    response_model=PostPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {"headers": {"Location": {"description": "The new post's URL"}}},
        409: {"description": "The slug is taken"},
    },
)
async def create_post(
    body: PostCreate, response: Response, user: CurrentUser, writes: PostWritesDep
) -> PostPublic:
    """A draft unless `status` says otherwise; the slug defaults to one made from the title."""
    post = await posts.create_post(
        writes.db, writes.redis, writes.settings, user, body, writes.links
    )
    response.headers["Location"] = post.url
    return post


@router.post("/preview", response_model=PostHtml, responses=_NOT_FOUND)
async def preview_post(
    body: PostPreview, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> PostHtml:
    """The HTML the public page would show for this Markdown (nothing is saved), with the
    notebook snapshot of `post_id` when it has one."""
    return PostHtml(html=await posts.preview(db, settings, user, body.body, body.post_id))


@router.post(
    "/images",
    response_model=PostImagePublic,
    status_code=status.HTTP_201_CREATED,
    responses={413: {"description": "Larger than WORKSPACE_BLOG_IMAGE_MAX_BYTES"}},
)
async def upload_image(
    request: Request,
    file: Annotated[UploadFile, File(description="A PNG, JPEG, GIF or WebP image.")],
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> PostImagePublic:
    """Checked by content (not by name or claimed type); SVG is refused. The same image
    uploaded twice is one image. Use `url` in Markdown: `![description](url)`."""
    assert user.id is not None
    data = await file.read(settings.blog_image_max_bytes + 1)
    if len(data) > settings.blog_image_max_bytes:
        raise TooLarge(f"images are limited to {settings.blog_image_max_bytes} bytes")
    if not data:
        raise Invalid("the file is empty", field="file")
    image = await images.store(db, user.id, data)
    await db.commit()
    return images.public(image)


@router.get("/images", response_model=PostImagesPublic)
async def list_images(
    user: CurrentUser,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> PostImagesPublic:
    """Your uploaded images (and those of your notebook posts), newest first: e.g. to pick a
    cover."""
    assert user.id is not None
    return await images.list_images(db, user.id, limit=limit, offset=offset)


@router.get("/{post_id}", response_model=PostPublic, responses=_NOT_FOUND)
async def get_post(
    post_id: PostId, user: CurrentUser, db: SessionDep, links: LinksDep
) -> PostPublic:
    return await posts.get_post(db, user, post_id, links)


@router.patch(
    "/{post_id}",
    response_model=PostPublic,
    responses={
        **_NOT_FOUND,
        409: {
            "description": "`version` is stale (the answer has `current_version`), or the "
            "slug is taken"
        },
    },
)
async def update_post(
    post_id: PostId, body: PostUpdate, user: CurrentUser, writes: PostWritesDep
) -> PostPublic:
    """Partial update of the post as it was at `version`. A changed slug leaves the old one
    redirecting (301) here; `status` publishes, schedules or unpublishes."""
    return await posts.update_post(
        writes.db, writes.redis, writes.settings, user, post_id, body, writes.links
    )


@router.delete("/{post_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_NOT_FOUND)
async def delete_post(post_id: PostId, user: CurrentUser, db: SessionDep, redis: RedisDep) -> None:
    await posts.delete_post(db, redis, user, post_id)


@router.get("/{post_id}/revisions", response_model=RevisionsPublic, responses=_NOT_FOUND)
async def list_revisions(
    post_id: PostId,
    user: CurrentUser,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> RevisionsPublic:
    """Every save that changed the title or body, newest first."""
    assert user.id is not None
    post = await owned_post(db, user.id, post_id)
    return await revisions.list_revisions(db, post, limit=limit, offset=offset)


@router.get("/{post_id}/revisions/{version}", response_model=RevisionPublic, responses=_NOT_FOUND)
async def get_revision(
    post_id: PostId, version: Version, user: CurrentUser, db: SessionDep
) -> RevisionPublic:
    """The revision, with a unified diff from its body to the current body."""
    assert user.id is not None
    post = await owned_post(db, user.id, post_id)
    return revisions.public(await revisions.get_revision(db, post, version), post)


@router.post(
    "/{post_id}/revisions/{version}/restore",
    response_model=PostPublic,
    responses={
        **_NOT_FOUND,
        409: {"description": "`version` is stale (the answer has `current_version`)"},
    },
)
async def restore_revision(
    post_id: PostId,
    version: Version,
    body: RevisionRestore,
    user: CurrentUser,
    writes: PostWritesDep,
) -> PostPublic:
    """Make the revision's title and body current again, over the post as it was at
    `body.version` (like PATCH): a new save, so a new version."""
    return await posts.restore_revision(
        writes.db,
        writes.redis,
        writes.settings,
        user,
        post_id,
        version,
        writes.links,
        over=body.version,
    )
