"""Liveness and readiness, open to all (for load balancers and `make run`)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.api.deps import RedisDep, SessionDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "A dependency does not answer"}})
async def ready(db: SessionDep, redis: RedisDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(db.exec(text("SELECT 1")), timeout=2)  # type: ignore[call-overload]
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports any failure, whatever its kind
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        await asyncio.wait_for(redis.ping(), timeout=2)
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ok" if ok else "unavailable", **checks}, 200 if ok else 503)
