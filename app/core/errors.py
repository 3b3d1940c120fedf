"""The domain's exceptions, and the one place that maps them to HTTP answers."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

log = logging.getLogger(__name__)


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


class StaleVersion(Conflict):
    """An edit based on an older version than the object's current one."""

    def __init__(self, what: str, sent: int, current: int) -> None:
        super().__init__(
            f"{what} changed since version {sent}: the current version is {current}",
            field="version",
        )
        self.current_version = current


class Invalid(WorkspaceError):
    """Input that passes the schema but breaks a rule (answered like pydantic's 422)."""

    status_code = 422


class TooLarge(WorkspaceError):
    status_code = 413


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
    if isinstance(exc, StaleVersion):
        return {"detail": exc.detail, "field": exc.field, "current_version": exc.current_version}
    if exc.field:  # e.g. a 409 on a taken name says which field to change
        return {"detail": exc.detail, "field": exc.field}
    return {"detail": exc.detail}


# lock_not_available, query_canceled, idle_in_transaction_session_timeout
BUSY_SQLSTATES = frozenset({"55P03", "57014", "25P03"})


def install_error_handlers(app: FastAPI) -> None:
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, WorkspaceError)
        headers: dict[str, str] = {}
        if isinstance(exc, TooManyRequests):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, Unauthorized):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(_body(exc), status_code=exc.status_code, headers=headers)

    async def dependency_down(request: Request, exc: Exception) -> JSONResponse:
        # A backing service failing is not the request's fault: say so, as a 503.
        which = "Redis" if isinstance(exc, RedisError) else "the database"
        log.warning("%s %s: %s unavailable: %s", request.method, request.url.path, which, exc)
        return JSONResponse(
            {"detail": f"{which} is unavailable; try again shortly"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        # PostgreSQL ended the statement on one of the connection's timeouts (see
        # core/db.Timeouts): a lock held elsewhere, not this request's fault. Anything
        # else is a bug and stays one.
        assert isinstance(exc, DBAPIError)
        if getattr(exc.orig, "sqlstate", None) not in BUSY_SQLSTATES:
            raise exc
        log.warning("%s %s: the database is busy: %s", request.method, request.url.path, exc)
        return JSONResponse(
            {"detail": "the database is busy; try again shortly"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    app.add_exception_handler(WorkspaceError, handle)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(RedisError, dependency_down)
    app.add_exception_handler(ConnectionError, dependency_down)
    app.add_exception_handler(OperationalError, dependency_down)
    app.add_exception_handler(InterfaceError, dependency_down)
