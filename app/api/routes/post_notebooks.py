"""Notebooks as posts: pick an .ipynb in one of your notebook servers (or upload one); its
snapshot is frozen into a new draft post, and refreshed on request."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile, status

from app.api.deps import CurrentUser, SessionDep, SettingsDep, id_path
from app.api.routes.posts import PostId, PostWritesDep
from app.core.errors import Invalid, TooLarge
from app.models.post import PostPublic
from app.models.post_parts import NotebookFiles, NotebookImport, NotebookRefresh
from app.services.blog import jupyter, notebook_posts
from app.services.notebooks import notebooks

router = APIRouter(prefix="/posts", tags=["posts"])
NotebookId = Annotated[int, id_path("notebook server")]
_SERVER: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such notebook server of yours, or no such file in it"},
    409: {"description": "The notebook server is not running"},
    503: {"description": "The notebook server did not answer"},
}


@router.get("/notebooks/{notebook_id}/files", response_model=NotebookFiles, responses=_SERVER)
async def list_notebook_files(
    notebook_id: NotebookId,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    path: Annotated[str, Query(max_length=1024, description="A folder; '' is the root.")] = "",
) -> NotebookFiles:
    """The folders and notebooks of a folder of a running notebook server."""
    server = await notebooks.get_owned(db, user, notebook_id)
    return await jupyter.list_files(settings, server, path)


@router.post(
    "/notebooks",
    response_model=PostPublic,
    status_code=status.HTTP_201_CREATED,
    responses=_SERVER,
)
async def import_notebook(
    body: NotebookImport, user: CurrentUser, writes: PostWritesDep
) -> PostPublic:
    """A new draft post from an .ipynb of a running notebook server of yours, read through
    its Jupyter server. Output images become post images; `show_input` shows code cells."""
    return await notebook_posts.import_from_server(
        writes.db, writes.redis, writes.settings, user, body, writes.links
    )


@router.post(
    "/notebooks/upload",
    response_model=PostPublic,
    status_code=status.HTTP_201_CREATED,
    responses={413: {"description": "Larger than WORKSPACE_BLOG_NOTEBOOK_MAX_BYTES"}},
)
async def upload_notebook(
    file: Annotated[UploadFile, File(description="An .ipynb file.")],
    user: CurrentUser,
    writes: PostWritesDep,
    show_input: Annotated[bool, Form()] = True,
    title: Annotated[str | None, Form(min_length=1, max_length=200)] = None,
) -> PostPublic:
    """A new draft post from an uploaded .ipynb (it cannot be refreshed: upload again)."""
    limit = writes.settings.blog_notebook_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"notebooks are limited to {limit} bytes")
    if not data:
        raise Invalid("the file is empty", field="file")
    return await notebook_posts.import_upload(
        writes.db,
        writes.redis,
        writes.settings,
        user,
        data,
        filename=file.filename or "",
        show_input=show_input,
        title=title,
        links=writes.links,
    )


@router.post(
    "/{post_id}/notebook/refresh",
    response_model=PostPublic,
    responses={**_SERVER, 409: {"description": "Stale version, uploaded, or not running"}},
)
async def refresh_notebook(
    post_id: PostId,
    body: NotebookRefresh,
    user: CurrentUser,
    writes: PostWritesDep,
) -> PostPublic:
    """Read the post's notebook again and replace its snapshot ("update from notebook")."""
    return await notebook_posts.refresh(
        writes.db,
        writes.redis,
        writes.settings,
        user,
        post_id,
        version=body.version,
        show_input=body.show_input,
        links=writes.links,
    )
