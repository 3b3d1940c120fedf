"""Jupyter notebook servers: configuration and lifecycle (the work is done by the worker)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import PlainTextResponse, StreamingResponse

from app.api.deps import (
    CurrentUser,
    Jobs,
    JobsDep,
    RedisDep,
    SessionDep,
    SettingsDep,
    id_path,
)
from app.core.errors import TooManyRequests
from app.live.limits import ConnectionLimits, TooManyConnections
from app.models.notebook import (
    DesiredState,
    NotebookCreate,
    NotebookList,
    NotebookOptions,
    NotebookPublic,
    NotebookUpdate,
)
from app.services.notebooks import logs, notebooks

router = APIRouter(prefix="/notebooks", tags=["notebooks"])
NotebookId = Annotated[int, id_path("notebook")]

_ACCEPTED_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"description": "No such notebook of yours"},
    503: {"description": "Notebooks unavailable (no Docker engine or no worker)"},
}


@router.get("/options", response_model=NotebookOptions)
async def get_notebook_options(
    _user: CurrentUser, db: SessionDep, redis: RedisDep, settings: SettingsDep
) -> NotebookOptions:
    """What a new notebook may be configured with, and whether notebooks can run now."""
    return await notebooks.options(db, redis, settings)


@router.get("", response_model=NotebookList)
async def list_notebooks(user: CurrentUser, db: SessionDep) -> NotebookList:
    rows = await notebooks.list_owned(db, user)
    return NotebookList(data=[NotebookPublic.of(n) for n in rows], count=len(rows))


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=NotebookPublic,
    responses={**_ACCEPTED_RESPONSES, 409: {"description": "Name taken"}},
)
async def create_notebook(
    body: NotebookCreate, user: CurrentUser, jobs: JobsDep, response: Response
) -> NotebookPublic:
    """Store the notebook and enqueue its start; watch `/api/events` for its progress."""
    notebook = await notebooks.create(jobs.db, jobs.redis, jobs.queue, jobs.settings, user, body)
    response.headers["Location"] = f"/api/notebooks/{notebook.id}"
    return NotebookPublic.of(notebook)


@router.get("/{notebook_id}", response_model=NotebookPublic)
async def get_notebook(
    notebook_id: NotebookId, user: CurrentUser, db: SessionDep
) -> NotebookPublic:
    return NotebookPublic.of(await notebooks.get_owned(db, user, notebook_id))


@router.patch("/{notebook_id}", response_model=NotebookPublic)
async def update_notebook(
    notebook_id: NotebookId,
    body: NotebookUpdate,
    user: CurrentUser,
    db: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
) -> NotebookPublic:
    """Change the configuration; it applies at the next start (or restart)."""
    notebook = await notebooks.update_config(db, redis, settings, user, notebook_id, body)
    return NotebookPublic.of(notebook)


async def _set_desired(
    jobs: Jobs,
    user: CurrentUser,
    notebook_id: int,
    desired: DesiredState,
    *,
    restart: bool = False,
    purge: bool = False,
) -> NotebookPublic:
    notebook = await notebooks.set_desired(
        jobs.db,
        jobs.redis,
        jobs.queue,
        jobs.settings,
        user,
        notebook_id,
        desired,
        restart=restart,
        purge=purge,
    )
    return NotebookPublic.of(notebook)


# Start, stop, restart and delete answer alike: 202 and the row, the work enqueued.
_ACTION: dict[str, Any] = {
    "status_code": status.HTTP_202_ACCEPTED,
    "response_model": NotebookPublic,
    "responses": _ACCEPTED_RESPONSES,
}


@router.post("/{notebook_id}/start", **_ACTION)
async def start_notebook(
    notebook_id: NotebookId, user: CurrentUser, jobs: JobsDep
) -> NotebookPublic:
    return await _set_desired(jobs, user, notebook_id, DesiredState.running)


@router.post("/{notebook_id}/stop", **_ACTION)
async def stop_notebook(
    notebook_id: NotebookId, user: CurrentUser, jobs: JobsDep
) -> NotebookPublic:
    return await _set_desired(jobs, user, notebook_id, DesiredState.stopped)


@router.post("/{notebook_id}/restart", **_ACTION)
async def restart_notebook(
    notebook_id: NotebookId, user: CurrentUser, jobs: JobsDep
) -> NotebookPublic:
    # Stop and start again, applying any configuration changed since the last start.
    return await _set_desired(jobs, user, notebook_id, DesiredState.running, restart=True)


@router.delete("/{notebook_id}", **_ACTION)
async def delete_notebook(
    notebook_id: NotebookId,
    user: CurrentUser,
    jobs: JobsDep,
    purge: Annotated[
        bool, Query(description="Also delete the volume (its files). Otherwise it is kept.")
    ] = False,
) -> NotebookPublic:
    """Remove the container; the volume is kept unless `purge=true` or keep_volume is off."""
    return await _set_desired(jobs, user, notebook_id, DesiredState.deleted, purge=purge)


@router.get(
    "/{notebook_id}/logs",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {}}, "description": "Log lines"},
        429: {"description": "The user has WORKSPACE_MAX_LOG_STREAMS_PER_USER streams open"},
    },
)
async def notebook_logs(
    request: Request,
    notebook_id: NotebookId,
    user: CurrentUser,
    db: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    tail: Annotated[int, Query(ge=0, le=logs.MAX_LINES)] = 200,
    follow: Annotated[
        bool, Query(description="Keep the response open and stream new lines")
    ] = False,
) -> Response:
    """The last `tail` lines (each at most 8,192 characters); with `follow`, new ones as
    they come, on at most WORKSPACE_MAX_LOG_STREAMS_PER_USER streams per user at once."""
    notebook = await notebooks.get_owned(db, user, notebook_id)
    key = notebook.key
    # The request's database session ends here, not with the response: a stream may stay
    # open for hours, and sixty of them held the whole pool.
    await db.close()
    lines, last_id = await logs.tail(redis, key, tail) if tail else ([], "$")
    if not follow:
        return PlainTextResponse("".join(line + "\n" for line in lines))
    assert user.id is not None
    limits: ConnectionLimits = request.app.state.connection_limits
    try:
        lease = await limits.acquire("log streams", user.id, settings.max_log_streams_per_user)
    except TooManyConnections as exc:
        raise TooManyRequests(str(exc), retry_after=5) from None

    async def stream() -> AsyncIterator[str]:
        try:
            for line in lines:
                yield line + "\n"
            async for line in logs.follow(redis, key, last_id):
                yield line + "\n" if line else ""
        finally:
            await limits.release(lease)

    return StreamingResponse(stream(), media_type="text/plain; charset=utf-8")
