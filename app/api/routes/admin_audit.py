"""The audit log of administrative actions, newest first (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import AdminUser, SessionDep
from app.models.audit import AuditPage
from app.services.admin import audit

router = APIRouter(prefix="/admin/audit", tags=["admin"])


@router.get("", response_model=AuditPage)
async def list_audit_entries(
    _admin: AdminUser,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    action: Annotated[str | None, Query(max_length=64, description="e.g. user.disable")] = None,
) -> AuditPage:
    return await audit.page(db, limit=limit, offset=offset, action=action)
