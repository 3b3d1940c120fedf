"""Exit codes, and the one line printed for each kind of failure (never a traceback)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a command fails, not for help
    from workspace.errors import WorkspaceError

OK = 0
FAILED = 1  # the api refused for another reason (403, 429, 5xx, …)
USAGE = 2  # wrong options or arguments (click's own code)
AUTH = 3  # not signed in, wrong password, unknown/expired/revoked token
NOT_FOUND = 4
INVALID = 5  # input refused: a 422 (with its field) or a taken name (409)
UNREACHABLE = 6  # no answer from the server, or it cannot do it now (503)
NOTEBOOK = 7  # a notebook failed or did not get there in time; code raised in its kernel
INTERRUPTED = 130

# "\b" keeps click from rewrapping the lines that follow.
EPILOG = """\b
Exit codes:
  0    done
  1    refused for another reason (forbidden, throttled, a server error)
  2    wrong usage: an unknown option, a missing argument
  3    not signed in, wrong password, or a revoked or expired token
  4    not found
  5    invalid input (the field is named) or a name that is taken
  6    the server is unreachable or unavailable
  7    a notebook failed or timed out, or the code raised in its kernel
  130  interrupted"""


def exit_code(exc: WorkspaceError) -> int:
    from workspace import errors
    from workspace.frontmatter import FrontMatterError

    if isinstance(exc, errors.Unauthorized | errors.NotConfigured):
        return AUTH
    if isinstance(exc, errors.NotFound):
        return NOT_FOUND
    if isinstance(exc, errors.Invalid | errors.Conflict | FrontMatterError):
        return INVALID
    if isinstance(exc, errors.Unreachable | errors.Unavailable):
        return UNREACHABLE
    if isinstance(exc, errors.NotebookFailed | errors.KernelError | errors.WaitTimeout):
        return NOTEBOOK
    return FAILED


def message(exc: WorkspaceError) -> str:
    """What the person reads: every problem the api named, each with its field."""
    from workspace import errors

    if isinstance(exc, errors.Unauthorized):
        reason = exc.reason if exc.problems else "not signed in"
        return f"{reason} (run `workspace login`)"
    if isinstance(exc, errors.ApiError):
        return "; ".join(str(p) for p in exc.problems) or f"HTTP {exc.status}"
    return str(exc)
