"""`/metrics` in Prometheus's text format, for an admin's token (or session); never public.
A scraper without credentials uses WORKSPACE_METRICS_ADDRESS, served by the worker."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import AdminUser, RedisDep, SessionDep
from app.core.metrics import CONTENT_TYPE
from app.services.admin import metrics

router = APIRouter(tags=["admin"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def prometheus_metrics(_admin: AdminUser, db: SessionDep, redis: RedisDep) -> Response:
    return Response(await metrics.scrape(db, redis), media_type=CONTENT_TYPE)
