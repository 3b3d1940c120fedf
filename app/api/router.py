"""The /api router: it only includes the resource routers."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.routing import APIRoute

from app.api.nul_guard import reject_nul_characters
from app.api.routes import (
    admin_audit,
    admin_notebooks,
    admin_settings,
    admin_users,
    auth,
    events,
    health,
    lists,
    notebooks,
    post_notebooks,
    posts,
    sessions,
    tags,
    todos,
    tokens,
)

api_router = APIRouter(prefix="/api", dependencies=[Depends(reject_nul_characters)])
for module in (
    health,
    auth,
    sessions,
    tokens,
    notebooks,
    events,
    lists,
    tags,
    todos,
    post_notebooks,
    posts,
    admin_users,
    admin_notebooks,
    admin_settings,
    admin_audit,
):
    api_router.include_router(module.router)


def operation_id(route: APIRoute) -> str:
    """The route function's name (`list_todos`): readable names in the generated client
    (`listTodos`). FastAPI warns about a duplicate, which the tests turn into an error."""
    return route.name
