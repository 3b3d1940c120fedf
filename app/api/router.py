"""The /api router: it only includes the resource routers."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.api.nul_guard import reject_nul_characters
from app.api.routes import (
    auth,
    events,
    health,
    lists,
    notebooks,
    posts,
    sessions,
    tags,
    todos,
    tokens,
)

api_router = APIRouter(prefix="/api", dependencies=[Depends(reject_nul_characters)])
for module in (health, auth, sessions, tokens, notebooks, events, lists, tags, todos, posts):
    api_router.include_router(module.router)
