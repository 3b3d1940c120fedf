"""The notebook proxy's cost: the same Jupyter requests through `/notebooks/{id}/...` and direct.

    .venv/bin/python -m bench.proxy [--requests 2000] [--round-trips 500]

Starts a real api and worker (subprocesses: tests/support/processes.py) on a private PostgreSQL
database, Redis database 12 and the Docker instance name `wsbench-proxy`, creates one
JupyterLab notebook (`workspace/jupyter:latest`) and waits until it answers. Then, in one
run, alternating the two paths request by request so that noise on a shared machine hits
both alike:

  1. HTTP: `GET /notebooks/{id}/api/status` through the proxy (API token) against the same
     request straight to the container's published port (Jupyter token): p50 and p99.
  2. WebSocket: a kernel execute round trip (execute_request → execute_reply on the shell
     channel of `/api/kernels/{kid}/channels`) through the proxy against direct.

Prints both, the ratios and the added milliseconds (targets: HTTP p50 ratio ≤ 1.3,
WebSocket round trip ≤ 2 ms added), then removes everything it made.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiodocker
import httpx
import uvloop
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.models.notebook import Notebook
from app.services.accounts import users
from tests.support.databases import drop_database, fresh_database
from tests.support.processes import Service, api_service, free_port, wait_http, worker_service
from workspace.client import AsyncKernel

INSTANCE = "wsbench-proxy"
DATABASE = "workspace_bench_proxy"
REDIS_URL = os.environ.get("WORKSPACE_BENCH_PROXY_REDIS_URL", "redis://127.0.0.1:6379/12")
PG_ADMIN_URL = os.environ.get(
    "WORKSPACE_BENCH_PG_ADMIN_URL", "postgresql://workspace:workspace@127.0.0.1:5432/postgres"
)
JUPYTER_IMAGE = "workspace/jupyter:latest"
PASSWORD = "bench-proxy-password"
HTTP_TARGET = 1.3
WS_TARGET_MS = 2.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def _remove_containers(docker: aiodocker.Docker) -> None:
    label = json.dumps({"label": [f"workspace.instance={INSTANCE}"]})
    for container in await docker.containers.list(all=True, filters=label):
        with contextlib.suppress(aiodocker.DockerError):
            await container.delete(force=True, v=True)
    volumes = await docker.volumes.list(filters={"label": [f"workspace.instance={INSTANCE}"]})
    for volume in volumes.get("Volumes") or []:
        with contextlib.suppress(aiodocker.DockerError):
            await aiodocker.volumes.DockerVolume(docker, volume["Name"]).delete()


@contextlib.asynccontextmanager
async def private_stack() -> AsyncIterator[tuple[Settings, str, int]]:
    """api + worker on a fresh private database; everything removed afterwards."""
    docker = aiodocker.Docker()
    data_dir = tempfile.TemporaryDirectory(prefix="wsbench-proxy-")
    services: list[Service] = []
    ok = False
    redis = Redis.from_url(REDIS_URL)
    try:
        # Our own Redis database: no job id or status left from an earlier run.
        await redis.flushdb()
        await _remove_containers(docker)
        settings = Settings(
            environment="test",
            secret_key="bench-proxy-secret",
            data_dir=Path(data_dir.name),
            database_url=await fresh_database(DATABASE, PG_ADMIN_URL),
            redis_url=REDIS_URL,
            instance=INSTANCE,
            notebook_images=[JUPYTER_IMAGE],
            notebook_idle_timeout_minutes=0,
        )
        port = free_port()
        services = [api_service(settings, port), worker_service(settings)]
        for service in services:
            await service.start()
        base_url = f"http://127.0.0.1:{port}"
        await wait_http(f"{base_url}/api/health")
        assert services[0].process is not None
        yield settings, base_url, services[0].process.pid
        ok = True
    finally:
        for service in reversed(services):
            await service.stop()
        if not ok or os.environ.get("BENCH_SHOW_OUTPUT"):
            for service in services:
                print(f"--- {service.name} output ---\n{service.output()[-4000:]}")
        await _remove_containers(docker)
        await docker.close()
        with contextlib.suppress(Exception):
            await drop_database(DATABASE, PG_ADMIN_URL)
        with contextlib.suppress(Exception):
            await redis.flushdb()
        await redis.aclose()
        data_dir.cleanup()


async def sign_in(settings: Settings, base_url: str) -> str:
    """A user and an API token of theirs."""
    engine = make_engine(settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        await users.create_user(db, "bench", PASSWORD)
    await engine.dispose()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        r = await client.post("/api/auth/login", json={"username": "bench", "password": PASSWORD})
        r.raise_for_status()
        csrf = {"X-CSRF-Token": client.cookies["workspace_csrf"]}
        r = await client.post("/api/tokens", json={"name": "bench"}, headers=csrf)
        r.raise_for_status()
        return str(r.json()["token"])


async def running_notebook(settings: Settings, client: httpx.AsyncClient) -> tuple[int, int, str]:
    """Create a JupyterLab notebook and wait until it answers through the proxy:
    (id, host port, Jupyter token)."""
    deadline = time.monotonic() + 180
    while True:  # the worker reports Docker available a moment after it starts
        r = await client.post("/api/notebooks", json={"name": "bench", "image": JUPYTER_IMAGE})
        if r.status_code == 202:
            break
        if time.monotonic() > deadline or r.status_code != 503:
            raise RuntimeError(f"cannot create a notebook: {r.status_code} {r.text}")
        await asyncio.sleep(0.2)
    notebook_id = int(r.json()["id"])
    while (r := await client.get(f"/notebooks/{notebook_id}/api/status")).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the notebook never answered: {r.status_code} {r.text}")
        await asyncio.sleep(0.2)
    engine = make_engine(settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        notebook = await db.get(Notebook, notebook_id)
    await engine.dispose()
    assert notebook is not None and notebook.host_port is not None
    return notebook_id, notebook.host_port, notebook.jupyter_token


async def alternate(
    proxied: Callable[[], Awaitable[object]],
    direct: Callable[[], Awaitable[object]],
    count: int,
    warmup: int,
) -> tuple[list[float], list[float]]:
    """Time `count` calls of each (ms), alternating which goes first."""
    for _ in range(warmup):
        await proxied()
        await direct()
    through: list[float] = []
    straight: list[float] = []
    for i in range(count):
        pair = ((proxied, through), (direct, straight))
        for call, into in pair if i % 2 == 0 else reversed(pair):
            start = time.perf_counter()
            await call()
            into.append((time.perf_counter() - start) * 1000)
    return through, straight


def report(title: str, through: list[float], straight: list[float]) -> tuple[float, float]:
    p50_t, p50_d = statistics.median(through), statistics.median(straight)
    p99_t, p99_d = percentile(through, 99), percentile(straight, 99)
    print(f"{title} ({len(through)} each, ms)")
    print(f"  {'':8}{'p50':>9}{'p99':>9}")
    print(f"  {'proxy':8}{p50_t:9.3f}{p99_t:9.3f}")
    print(f"  {'direct':8}{p50_d:9.3f}{p99_d:9.3f}")
    print(f"  ratio p50 {p50_t / p50_d:.2f}   p99 {p99_t / p99_d:.2f}")
    print(f"  added p50 {p50_t - p50_d:+.3f} ms   p99 {p99_t - p99_d:+.3f} ms")
    return p50_t / p50_d, p50_t - p50_d


async def main(requests: int, round_trips: int) -> int:
    async with private_stack() as (settings, base_url, api_pid):
        token = await sign_in(settings, base_url)
        auth = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base_url, headers=auth, timeout=60) as proxy:
            notebook_id, port, jupyter_token = await running_notebook(settings, proxy)
            prefix = f"/notebooks/{notebook_id}/"
            direct_auth = {"Authorization": f"token {jupyter_token}"}
            direct_base = f"http://{settings.container_host}:{port}"
            async with httpx.AsyncClient(
                base_url=direct_base, headers=direct_auth, timeout=60, trust_env=False
            ) as direct:

                async def via_proxy() -> None:
                    (await proxy.get(f"{prefix}api/status")).raise_for_status()

                async def via_direct() -> None:
                    (await direct.get(f"{prefix}api/status")).raise_for_status()

                cpu_before = cpu_seconds(api_pid)
                http_t, http_d = await alternate(via_proxy, via_direct, requests, 200)
                http_cpu = (cpu_seconds(api_pid) - cpu_before) / (requests + 200) * 1e6

                r = await proxy.post(f"{prefix}api/kernels", json={"name": "python3"})
                r.raise_for_status()
                channels = f"{prefix}api/kernels/{r.json()['id']}/channels"
                ws_base = base_url.replace("http://", "ws://")
                through_kernel = await AsyncKernel.connect(f"{ws_base}{channels}", auth)
                direct_kernel = await AsyncKernel.connect(
                    f"ws://{settings.container_host}:{port}{channels}", direct_auth
                )
                try:
                    cpu_before = cpu_seconds(api_pid)
                    ws_t, ws_d = await alternate(
                        through_kernel.round_trip, direct_kernel.round_trip, round_trips, 50
                    )
                    ws_cpu = (cpu_seconds(api_pid) - cpu_before) / (round_trips + 50) * 1e6
                finally:
                    await through_kernel.close()
                    await direct_kernel.close()

    print()
    http_ratio, _ = report("HTTP GET /notebooks/{id}/api/status", http_t, http_d)
    print(f"  api CPU per proxied request: {http_cpu:.0f} µs")
    print()
    _, ws_added = report("Kernel execute round trip over the channels WebSocket", ws_t, ws_d)
    print(f"  api CPU per proxied round trip: {ws_cpu:.0f} µs")
    print()
    print(f"load average while running: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    http_ok = http_ratio <= HTTP_TARGET
    ws_ok = ws_added <= WS_TARGET_MS
    verdict = "met" if http_ok else "MISSED"
    print(f"HTTP p50 ratio {http_ratio:.2f} (target ≤ {HTTP_TARGET}): {verdict}")
    print(
        f"WebSocket added {ws_added:.3f} ms (target ≤ {WS_TARGET_MS} ms): "
        f"{'met' if ws_ok else 'MISSED'}"
    )
    return 0 if http_ok and ws_ok else 1


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--round-trips", type=int, default=500)
    args = parser.parse_args()
    sys.exit(uvloop.run(main(args.requests, args.round_trips)))


if __name__ == "__main__":
    cli()
