"""The worker as a swarm deployment runs it: a container on the manager, holding the manager's
Docker socket and labelled so the Swarm runtime joins it to every notebook's overlay.

It runs this checkout's code with its own virtualenv (both mounted read-only, the Python the
virtualenv was made with too) in the test image, and reaches the tests' PostgreSQL and Redis
through forwarders on the swarm bridge's address (tests/support/forward.py). Its interface is
that of tests/support/processes.py's Service, so the same tests drive either.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import sys
from pathlib import Path

import aiodocker
from sqlalchemy import make_url

from app.core.config import Settings
from tests.support.environment import ROOT, TEST_IMAGE
from tests.support.forward import Forwarder
from tests.support.processes import process_env
from tests.support.swarm_engine import MANAGER
from worker.runtime.swarm_spec import LABEL_REACH

BRIDGE_HOST = MANAGER.address
PYTHON_HOME = Path(sys.base_prefix)


class SwarmWorker:
    def __init__(self, settings: Settings, *, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.extra_env = env or {}
        self.docker = aiodocker.Docker(url=MANAGER.url)
        self.container: aiodocker.containers.DockerContainer | None = None
        self.forwarders: list[Forwarder] = []
        self._lines: list[str] = []
        self._follow: asyncio.Task[None] | None = None

    async def _forward(self, url: str) -> str:
        parsed = make_url(url)
        forwarder = Forwarder(BRIDGE_HOST, parsed.host or "127.0.0.1", parsed.port or 0)
        self.forwarders.append(forwarder)
        port = await forwarder.open()
        return parsed.set(host=BRIDGE_HOST, port=port).render_as_string(hide_password=False)

    async def start(self) -> None:
        if not self.forwarders:
            self.database_url = await self._forward(self.settings.sqlalchemy_url)
            self.redis_url = await self._forward(self.settings.redis_url)
        env = {
            k: v
            for k, v in process_env(self.settings).items()
            if k.startswith("WORKSPACE_") or k == "PYTHONUNBUFFERED"
        }
        env |= {
            "WORKSPACE_DATABASE_URL": self.database_url,
            "WORKSPACE_REDIS_URL": self.redis_url,
            **self.extra_env,
        }
        env.pop("WORKSPACE_DOCKER_URL", None)  # the socket mounted at Docker's default path
        instance = self.settings.instance
        self.container = await self.docker.containers.run(
            {
                "Image": TEST_IMAGE,
                "Entrypoint": [str(ROOT / ".venv/bin/python"), "-m", "arq"],
                "Cmd": ["worker.main.WorkerSettings"],
                "WorkingDir": str(ROOT),
                "User": "0:0",
                "Env": [f"{k}={v}" for k, v in env.items()],
                "Labels": {LABEL_REACH: instance, "workspace.instance": instance},
                "Healthcheck": {"Test": ["NONE"]},
                "HostConfig": {
                    "Binds": [
                        f"{ROOT}:{ROOT}:ro",
                        f"{PYTHON_HOME}:{PYTHON_HOME}:ro",
                        f"{MANAGER.socket}:/var/run/docker.sock",
                    ],
                },
            },
            name=f"{instance}-worker-{secrets.token_hex(3)}",
        )
        self._follow = asyncio.create_task(self._copy_output(self.container))

    async def _copy_output(self, container: aiodocker.containers.DockerContainer) -> None:
        with contextlib.suppress(aiodocker.DockerError):
            async for chunk in container.log(stdout=True, stderr=True, follow=True):
                self._lines.append(chunk)

    async def stop(self, grace: float = 10.0) -> None:
        if self.container is not None:
            with contextlib.suppress(aiodocker.DockerError):
                await self.container.stop(t=int(grace))
        await self._end()

    async def kill(self) -> None:
        """Like a crash: no chance to clean up."""
        if self.container is not None:
            with contextlib.suppress(aiodocker.DockerError):
                await self.container.kill()
        await self._end()

    async def _end(self) -> None:
        """One worker, one container: what it had goes with it."""
        if self.container is not None:
            if self._follow is not None:
                with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(self._follow, 5)
            with contextlib.suppress(aiodocker.DockerError):
                await self.container.delete(force=True)
            self.container = None
        for forwarder in self.forwarders:
            await forwarder.close()
        self.forwarders.clear()
        await self.docker.close()

    def output(self) -> str:
        return "".join(self._lines)[-20000:]
