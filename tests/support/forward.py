"""TCP forwarders from the swarm's bridge address to services on the host's loopback.

A worker running in a container on the test swarm (where it can join notebook overlays)
reaches the tests' PostgreSQL and Redis, which listen on 127.0.0.1 only, through these.
They listen on the bridge's address, which only this machine and its containers can reach.
"""

from __future__ import annotations

import asyncio
import errno

from tests.support.pipes import Pipes

PORTS = range(18500, 18600)


class Forwarder:
    def __init__(self, listen_host: str, target_host: str, target_port: int) -> None:
        self.listen_host = listen_host
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes = Pipes(lambda: asyncio.open_connection(*self.target))

    async def open(self) -> int:
        for port in PORTS:
            try:
                self._server = await asyncio.start_server(
                    self._pipes.accept, self.listen_host, port
                )
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                continue
            self.port = port
            return port
        raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        await self._pipes.cut()
