"""The settings, for the public pages: an async dependency (FastAPI runs a plain function
dependency in a thread, a hop each public request would pay for)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.config import Settings


async def get_site_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SiteSettingsDep = Annotated[Settings, Depends(get_site_settings)]
