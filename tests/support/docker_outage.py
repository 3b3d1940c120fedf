"""A cuttable pipe to the Docker socket: the worker talks through it, a test cuts it.

Cutting drops every open connection (the event stream included) and refuses new ones, as
an engine restart does from the worker's point of view, without touching the real engine
other tests and people use.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from tests.support.pipes import Pipes

DOCKER_SOCKET = "/var/run/docker.sock"


class DockerOutage:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._server: asyncio.Server | None = None
        self._pipes = Pipes(lambda: asyncio.open_unix_connection(DOCKER_SOCKET))

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    async def open(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._server = await asyncio.start_unix_server(self._pipes.accept, path=str(self.path))

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        await self._pipes.cut()
