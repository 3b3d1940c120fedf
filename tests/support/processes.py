"""Real api and worker processes for tests that need them (WebSocket, Docker, browser).

They run as subprocesses with the same settings the test uses, on a free loopback port, and
their output is kept so a failing test can print it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import httpx

from app.core.config import Settings
from app.server import FEED_PROTOCOL
from tests.support.environment import ROOT

WORKER_SETTINGS = "worker.main.WorkerSettings"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def token_for(client: httpx.AsyncClient, username: str, password: str) -> str:
    """Sign `client` in as a person would, mint a personal API token of scope `full` (all
    a session may do), and drop the session cookies again: the client is then a script's,
    and the token is returned."""
    r = await client.post("/api/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    r = await client.post(
        "/api/tokens",
        json={"name": "tests", "scope": "full"},
        headers={"X-CSRF-Token": client.cookies["workspace_csrf"]},
    )
    r.raise_for_status()
    client.cookies.clear()
    token: str = r.json()["token"]
    return token


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a subprocess exactly `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSPACE_")}
    values = settings.model_dump(mode="json")
    for name, value in values.items():
        if value is None:
            continue
        key = f"WORKSPACE_{name.upper()}"
        env[key] = json.dumps(value) if isinstance(value, list | dict) else str(value)
    env["WORKSPACE_SECRET_KEY"] = settings.secret_key.get_secret_value()
    if settings.admin_password is not None:
        env["WORKSPACE_ADMIN_PASSWORD"] = settings.admin_password.get_secret_value()
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Service:
    """One subprocess; its combined output goes to a temporary file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.args = args
        self.env = env
        # Kept open for the process's lifetime; deleted when the Service is collected.
        self.log: IO[bytes] = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log")  # noqa: SIM115
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.args,
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    async def stop(self, sig: int = signal.SIGTERM, grace: float = 10.0) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        os.killpg(process.pid, sig)
        try:
            await asyncio.wait_for(process.wait(), grace)
        except TimeoutError:
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()

    async def kill(self) -> None:
        """Like a crash: no chance to clean up."""
        await self.stop(signal.SIGKILL)

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-20000:]


def api_service(
    settings: Settings, port: int, *, ws: str = FEED_PROTOCOL, workers: int = 1
) -> Service:
    """The api as `workspace serve` runs it everywhere (`ws`: uvicorn's WebSocket protocol)."""
    args = [
        sys.executable,
        "-m",
        "workspace",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--ws",
        ws,
    ]
    return Service("api", args, process_env(settings))


def worker_service(settings: Settings, worker: str = WORKER_SETTINGS) -> Service:
    """The worker (`worker`: the dotted path of the arq settings it runs with)."""
    return Service("worker", [sys.executable, "-m", "arq", worker], process_env(settings))


async def wait_http(url: str, timeout: float = 120.0) -> None:
    """Until `url` answers below 500; a loaded machine may take a minute to import the app."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url)).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@contextlib.asynccontextmanager
async def running_api(settings: Settings, port: int, **options: Any) -> AsyncIterator[Service]:
    """The api on `port` (`options`: those of `api_service`), answering its health check;
    stopped on exit."""
    api = api_service(settings, port, **options)
    await api.start()
    try:
        await wait_http(f"http://127.0.0.1:{port}/api/health")
        yield api
    finally:
        await api.stop()
