"""The domain's exceptions, and the one place that maps them to HTTP answers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class WorkspaceError(Exception):
    status_code = 400

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(WorkspaceError):
    status_code = 404


class Conflict(WorkspaceError):
    status_code = 409


class Invalid(WorkspaceError):
    """Input that passes the schema but breaks a rule (answered like pydantic's 422)."""

    status_code = 422


class Unauthorized(WorkspaceError):
    status_code = 401


class Forbidden(WorkspaceError):
    status_code = 403


class TooManyRequests(WorkspaceError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Unavailable(WorkspaceError):
    status_code = 503


def _body(exc: WorkspaceError) -> dict[str, object]:
    if exc.status_code == 422:
        # Same shape as FastAPI's validation errors, so clients handle one format.
        loc = ["body", exc.field] if exc.field else ["body"]
        return {"detail": [{"loc": loc, "msg": exc.detail, "type": "value_error"}]}
    return {"detail": exc.detail}


def install_error_handlers(app: FastAPI) -> None:
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, WorkspaceError)
        headers: dict[str, str] = {}
        if isinstance(exc, TooManyRequests):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, Unauthorized):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(_body(exc), status_code=exc.status_code, headers=headers)

    app.add_exception_handler(WorkspaceError, handle)
