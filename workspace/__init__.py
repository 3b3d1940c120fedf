"""WorkSpace from scripts and the terminal.

    from workspace import Client

    with Client() as ws:  # URL and token: arguments, WORKSPACE_URL/TOKEN, or `workspace login`
        ws.todos.quick_add("Write the report #work !high due:tomorrow")

Names are imported on first use, so the `workspace` command starts without loading httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workspace.client import AsyncClient, Client, Execution
    from workspace.errors import (
        ApiError,
        Conflict,
        Forbidden,
        Invalid,
        KernelError,
        NotConfigured,
        NotebookFailed,
        NotFound,
        Problem,
        Unauthorized,
        Unavailable,
        Unreachable,
        WaitTimeout,
        WorkspaceError,
    )

_WHERE = {
    "AsyncClient": "workspace.client",
    "Client": "workspace.client",
    "Execution": "workspace.client",
    **dict.fromkeys(
        [
            "ApiError",
            "Conflict",
            "Forbidden",
            "Invalid",
            "KernelError",
            "NotConfigured",
            "NotFound",
            "NotebookFailed",
            "Problem",
            "Unauthorized",
            "Unavailable",
            "Unreachable",
            "WaitTimeout",
            "WorkspaceError",
        ],
        "workspace.errors",
    ),
}
__all__ = [
    "ApiError",
    "AsyncClient",
    "Client",
    "Conflict",
    "Execution",
    "Forbidden",
    "Invalid",
    "KernelError",
    "NotConfigured",
    "NotFound",
    "NotebookFailed",
    "Problem",
    "Unauthorized",
    "Unavailable",
    "Unreachable",
    "WaitTimeout",
    "WorkspaceError",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'workspace' has no attribute {name!r}")
