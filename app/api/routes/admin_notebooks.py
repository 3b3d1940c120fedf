"""Every user's notebooks, for admins: list, stop, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import AdminUser, JobsDep, SessionDep, id_path
from app.models.admin import AdminNotebook, AdminNotebookList
from app.services.admin import notebooks

router = APIRouter(prefix="/admin/notebooks", tags=["admin"])
NotebookId = Annotated[int, id_path("notebook")]


@router.get("", response_model=AdminNotebookList)
async def list_all_notebooks(_admin: AdminUser, db: SessionDep) -> AdminNotebookList:
    rows = await notebooks.list_all(db)
    return AdminNotebookList(data=rows, count=len(rows))


@router.post("/{notebook_id}/stop", response_model=AdminNotebook, status_code=202)
async def stop_any_notebook(
    notebook_id: NotebookId, admin: AdminUser, jobs: JobsDep
) -> AdminNotebook:
    return await notebooks.stop_or_delete(
        jobs.db, jobs.redis, jobs.queue, jobs.settings, admin, notebook_id, delete=False
    )


@router.delete(
    "/{notebook_id}",
    response_model=AdminNotebook,
    status_code=status.HTTP_202_ACCEPTED,
    responses={503: {"description": "Notebooks unavailable (no Docker engine or no worker)"}},
)
async def delete_any_notebook(
    notebook_id: NotebookId,
    admin: AdminUser,
    jobs: JobsDep,
    purge: Annotated[bool, Query(description="Also delete the volume (its files).")] = False,
) -> AdminNotebook:
    return await notebooks.stop_or_delete(
        jobs.db, jobs.redis, jobs.queue, jobs.settings, admin, notebook_id, delete=True, purge=purge
    )
