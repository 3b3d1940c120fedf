"""Notebook servers: lifecycle, waiting on the live feed, logs, and running code in a kernel."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import httpx

from workspace._async.kernel import AsyncKernel
from workspace._responses import describe, raise_for
from workspace.errors import KernelError, NotFound, Problem, Unreachable
from workspace.jupyter import Execution
from workspace.models import (
    NotebookCreate,
    NotebookList,
    NotebookOptions,
    NotebookPublic,
    NotebookUpdate,
    Status,
)

if TYPE_CHECKING:
    from workspace._async.client import AsyncClient

NotebookRef = int | str | NotebookPublic
OnChange = Callable[[NotebookPublic], None]
RUNNING = frozenset({Status.healthy})
STOPPED = frozenset({Status.stopped})
REMOVED = frozenset({Status.removed})


class AsyncNotebooks:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def options(self) -> NotebookOptions:
        return await self._client.call(NotebookOptions, "GET", "/api/notebooks/options")

    async def list(self) -> NotebookList:
        return await self._client.call(NotebookList, "GET", "/api/notebooks")

    async def get(self, notebook: NotebookRef) -> NotebookPublic:
        """By id, or by name (names are unique per user)."""
        if isinstance(notebook, NotebookPublic):
            notebook = notebook.id
        if isinstance(notebook, int):
            return await self._client.call(NotebookPublic, "GET", f"/api/notebooks/{notebook}")
        for row in (await self.list()).data:
            if row.name == notebook:
                return row
        raise NotFound(404, [Problem("name", f"no notebook named {notebook!r}")])

    async def _id(self, notebook: NotebookRef) -> int:
        if isinstance(notebook, NotebookPublic):
            return notebook.id
        return notebook if isinstance(notebook, int) else (await self.get(notebook)).id

    async def _act(
        self,
        method: str,
        path: str,
        until: Collection[Status] | None,
        timeout: float,
        on_change: OnChange | None,
        *,
        json: Any = None,
        params: Any = None,
    ) -> NotebookPublic:
        """Ask for a change; with `until`, wait on the live feed until the notebook gets there.

        The feed is opened first, so no status between the request and the wait is missed."""
        if until is None:
            return await self._client.call(NotebookPublic, method, path, json=json, params=params)
        async with self._client.feed() as feed:
            row = await self._client.call(NotebookPublic, method, path, json=json, params=params)
            return await feed.wait_notebook(row, until, timeout=timeout, on_change=on_change)

    async def create(
        self,
        notebook: NotebookCreate,
        *,
        wait: bool = False,
        timeout: float = 600,
        on_change: OnChange | None = None,
    ) -> NotebookPublic:
        """Create and start it; `wait=True` returns once it is healthy (`NotebookFailed` if it
        fails), calling `on_change` with each new state (version) of the notebook on the way."""
        body = notebook.model_dump(mode="json", exclude_unset=True)
        until = RUNNING if wait else None
        return await self._act("POST", "/api/notebooks", until, timeout, on_change, json=body)

    async def update(self, notebook: NotebookRef, changes: NotebookUpdate) -> NotebookPublic:
        """Applies at the next start or restart."""
        body = changes.model_dump(mode="json", exclude_unset=True)
        path = f"/api/notebooks/{await self._id(notebook)}"
        return await self._client.call(NotebookPublic, "PATCH", path, json=body)

    async def start(
        self,
        notebook: NotebookRef,
        *,
        wait: bool = False,
        timeout: float = 600,
        on_change: OnChange | None = None,
    ) -> NotebookPublic:
        path = f"/api/notebooks/{await self._id(notebook)}/start"
        return await self._act("POST", path, RUNNING if wait else None, timeout, on_change)

    async def stop(
        self,
        notebook: NotebookRef,
        *,
        wait: bool = False,
        timeout: float = 600,
        on_change: OnChange | None = None,
    ) -> NotebookPublic:
        path = f"/api/notebooks/{await self._id(notebook)}/stop"
        return await self._act("POST", path, STOPPED if wait else None, timeout, on_change)

    async def restart(
        self,
        notebook: NotebookRef,
        *,
        wait: bool = False,
        timeout: float = 600,
        on_change: OnChange | None = None,
    ) -> NotebookPublic:
        path = f"/api/notebooks/{await self._id(notebook)}/restart"
        return await self._act("POST", path, RUNNING if wait else None, timeout, on_change)

    async def delete(
        self,
        notebook: NotebookRef,
        *,
        purge: bool = False,
        wait: bool = False,
        timeout: float = 600,
        on_change: OnChange | None = None,
    ) -> NotebookPublic:
        """Remove the container; the volume (its files) too with `purge=True`."""
        path = f"/api/notebooks/{await self._id(notebook)}"
        params = {"purge": "true" if purge else "false"}
        until = REMOVED if wait else None
        return await self._act("DELETE", path, until, timeout, on_change, params=params)

    async def logs(self, notebook: NotebookRef, *, tail: int = 200) -> str:
        path = f"/api/notebooks/{await self._id(notebook)}/logs"
        return (await self._client.request("GET", path, params={"tail": tail})).text

    async def follow_logs(self, notebook: NotebookRef, *, tail: int = 200) -> AsyncIterator[str]:
        """The last `tail` lines, then each new line as it comes (until the caller stops)."""
        path = f"/api/notebooks/{await self._id(notebook)}/logs"
        params: dict[str, str | int] = {"tail": tail, "follow": "true"}
        http = self._client.http
        try:
            async with http.stream("GET", path, params=params, timeout=None) as response:
                if response.is_error:
                    await response.aread()
                    raise_for(response)
                async for line in response.aiter_lines():
                    if line:
                        yield line
        except httpx.TransportError as exc:
            raise Unreachable(self._client.url, describe(exc)) from None

    @asynccontextmanager
    async def kernel(self, notebook: NotebookRef) -> AsyncIterator[AsyncKernel]:
        """A new kernel in the notebook, reached through WorkSpace's proxy with the token;
        shut down on exit."""
        prefix = f"/notebooks/{await self._id(notebook)}/api/kernels"
        response = await self._client.request("POST", prefix, json={"name": "python3"})
        kernel_id = response.json()["id"]
        try:
            url = f"{self._client.ws_url}{prefix}/{kernel_id}/channels"
            async with await AsyncKernel.connect(url, self._client.auth_headers) as kernel:
                yield kernel
        finally:
            await self._client.request("DELETE", f"{prefix}/{kernel_id}")

    async def run(
        self, notebook: NotebookRef, code: str, *, timeout: float = 60, check: bool = True
    ) -> Execution:
        """Run `code` in a fresh kernel of the notebook; `KernelError` when it raises (unless
        `check=False`, then `Execution.error` says what)."""
        async with self.kernel(notebook) as kernel:
            out = await kernel.execute(code, timeout=timeout)
        if check and out.error is not None:
            raise KernelError(
                out.error.get("ename", "Error"),
                out.error.get("evalue", ""),
                list(out.error.get("traceback", [])),
            )
        return out
