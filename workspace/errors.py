"""What can go wrong talking to WorkSpace, as exceptions a script can catch by kind.

An answer with an error status becomes an `ApiError` subclass chosen by its status; each
carries the problems the api named, with the field and the reason: the api's 422s list them
(`{"detail": [{"loc": ["body", "name"], "msg": ...}]}`), its other errors give a `detail`
and sometimes a `field` (a taken name says which one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class WorkspaceError(Exception):
    """Every error of this package."""


class Unreachable(WorkspaceError):
    """No answer from the server: it is down, the URL is wrong, or the network is."""

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f"cannot reach {url}: {cause}")
        self.url = url
        self.cause = cause


class NotConfigured(WorkspaceError):
    """No URL or token: none given, none in the environment, none saved by `workspace login`."""


@dataclass(frozen=True)
class Problem:
    """One thing the api refused: `field` is a dotted path (`tags.0`), None for the whole
    request."""

    field: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


class ApiError(WorkspaceError):
    """The api answered with an error status."""

    status: int = 0

    def __init__(self, status: int, problems: list[Problem], *, retry_after: int | None = None):
        self.status = status
        self.problems = problems
        self.retry_after = retry_after
        super().__init__("; ".join(str(p) for p in problems) or f"HTTP {status}")

    @property
    def field(self) -> str | None:
        """The field of the first problem (None when it names none)."""
        return self.problems[0].field if self.problems else None

    @property
    def reason(self) -> str:
        return self.problems[0].reason if self.problems else f"HTTP {self.status}"


class BadRequest(ApiError):
    pass


class Unauthorized(ApiError):
    """Wrong password, or a token that is unknown, expired or revoked."""


class Forbidden(ApiError):
    pass


class NotFound(ApiError):
    pass


class Conflict(ApiError):
    """E.g. a name that is taken (`field` says which)."""


class Invalid(ApiError):
    """A 422: `problems` lists each field and why."""


class TooManyRequests(ApiError):
    """Throttled: try again after `retry_after` seconds."""


class Unavailable(ApiError):
    """A 503: the server is up but cannot do it now (no Docker engine, a dependency down)."""


class ServerError(ApiError):
    pass


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Invalid,
    429: TooManyRequests,
    503: Unavailable,
}


def _field(loc: list[Any]) -> str | None:
    # The first element says where ("body", "query", "path"): the rest is the field's path.
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in {"body", "query", "path"} else loc
    return ".".join(str(p) for p in parts) or None


def problems_of(body: Any, status: int) -> list[Problem]:
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):
        return [
            Problem(_field(list(item.get("loc") or [])), str(item.get("msg", "")))
            for item in detail
            if isinstance(item, dict)
        ]
    if isinstance(detail, str):
        field = body.get("field")
        return [Problem(field if isinstance(field, str) else None, detail)]
    return [Problem(None, f"HTTP {status}")]


def error_for(status: int, body: Any, retry_after: str | None = None) -> ApiError:
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else BadRequest)
    after = int(retry_after) if retry_after and retry_after.isdigit() else None
    error = kind(status, problems_of(body, status), retry_after=after)
    return error


class NotebookFailed(WorkspaceError):
    """The notebook went to `error` while we waited for it; `reason` is the server's."""

    def __init__(self, name: str, reason: str | None) -> None:
        super().__init__(f"notebook {name!r} failed: {reason or 'no reason given'}")
        self.name = name
        self.reason = reason


class WaitTimeout(WorkspaceError):
    """The notebook did not reach the status in time."""


class KernelError(WorkspaceError):
    """The code raised in the kernel: `ename`, `evalue` and the `traceback` lines."""

    def __init__(self, ename: str, evalue: str, traceback: list[str]) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
