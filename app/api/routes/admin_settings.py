"""Site settings for admins: images, maxima, quotas, idle default (over the environment's)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import AdminUser, RedisDep, SessionDep, SettingsDep
from app.models.site_setting import SiteSettingsPublic, SiteSettingsUpdate
from app.services.admin import settings as site_settings

router = APIRouter(prefix="/admin/settings", tags=["admin"])


@router.get("", response_model=SiteSettingsPublic)
async def get_site_settings(
    _admin: AdminUser, db: SessionDep, redis: RedisDep, settings: SettingsDep
) -> SiteSettingsPublic:
    """Each setting's effective value, the environment's and the stored one, which wins,
    and per allowed image whether the Docker engine has it (as the worker reports)."""
    return await site_settings.public(db, redis, settings)


@router.patch("", response_model=SiteSettingsPublic)
async def update_site_settings(
    body: SiteSettingsUpdate,
    admin: AdminUser,
    db: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
) -> SiteSettingsPublic:
    """A value stores it; null drops the stored value (the environment's wins again)."""
    await site_settings.update(db, settings, admin, body)
    return await site_settings.public(db, redis, settings)
