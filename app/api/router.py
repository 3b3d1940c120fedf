"""The /api router: it only includes the resource routers."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.routes import auth, events, health, lists, notebooks, tags, todos, tokens

api_router = APIRouter(prefix="/api")
for module in (health, auth, tokens, notebooks, events, lists, tags, todos):
    api_router.include_router(module.router)
