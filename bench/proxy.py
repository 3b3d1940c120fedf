"""The notebook proxy's cost: the same Jupyter requests through the notebook's origin and direct.

    .venv/bin/python -m bench.proxy [--requests 2000] [--round-trips 500]

Starts a real api and worker (subprocesses: tests/support/processes.py) on a private PostgreSQL
database, Redis database 12 and the Docker instance `wsbench-proxy`, creates one
JupyterLab notebook (`workspace/jupyter:latest`) and waits until it answers. Then, in one
run, alternating the two paths request by request so that noise on a shared machine hits
both alike:

  1. HTTP: `GET /api/status` on the notebook's origin (`{key}.nb.localhost`, by the proxy,
     with an API token) against the same
     request straight to the container's published port (Jupyter token): p50 and p99.
  2. WebSocket: a kernel execute round trip (execute_request → execute_reply on the shell
     channel of `/api/kernels/{kid}/channels`) through the proxy against direct.

Prints both, the ratios and the added milliseconds (targets: HTTP p50 ratio ≤ 1.3,
WebSocket round trip ≤ 2 ms added), then removes everything it made.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import uvloop

from app.core import notebook_origin
from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.models.notebook import Notebook
from bench._stack import running_stack
from bench._stats import load_average, median, percentile
from tests.support import loopback
from tests.support.environment import JUPYTER_IMAGE
from workspace.client import AsyncKernel

REDIS_URL = os.environ.get("WORKSPACE_BENCH_PROXY_REDIS_URL", "redis://127.0.0.1:6379/12")
HTTP_TARGET = 1.3
WS_TARGET_MS = 2.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def running_notebook(settings: Settings, client: httpx.AsyncClient) -> tuple[str, int, str]:
    """Create a JupyterLab notebook and wait until it answers through the proxy:
    (key, host port, Jupyter token)."""
    deadline = time.monotonic() + 180
    r = await client.post("/api/notebooks", json={"name": "bench", "image": JUPYTER_IMAGE})
    if r.status_code != 202:
        raise RuntimeError(f"cannot create a notebook: {r.status_code} {r.text}")
    notebook_id, key = int(r.json()["id"]), str(r.json()["key"])
    # Through the proxy, on the notebook's own origin.
    client.base_url = httpx.URL(notebook_origin.origin(settings, key))
    while (r := await client.get("/api/status")).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the notebook never answered: {r.status_code} {r.text}")
        await asyncio.sleep(0.2)
    engine = make_engine(settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        notebook = await db.get(Notebook, notebook_id)
    await engine.dispose()
    assert notebook is not None and notebook.host_port is not None
    return key, notebook.host_port, notebook.jupyter_token


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
    p50_t, p50_d = median(through), median(straight)
    p99_t, p99_d = percentile(through, 99), percentile(straight, 99)
    print(f"{title} ({len(through)} each, ms)")
    print(f"  {'':8}{'p50':>9}{'p99':>9}")
    print(f"  {'proxy':8}{p50_t:9.3f}{p99_t:9.3f}")
    print(f"  {'direct':8}{p50_d:9.3f}{p99_d:9.3f}")
    print(f"  ratio p50 {p50_t / p50_d:.2f}   p99 {p99_t / p99_d:.2f}")
    print(f"  added p50 {p50_t - p50_d:+.3f} ms   p99 {p99_t - p99_d:+.3f} ms")
    return p50_t / p50_d, p50_t - p50_d


async def main(requests: int, round_trips: int) -> int:
    # One api process: its CPU time is the proxy's cost.
    async with running_stack("proxy", redis_url=REDIS_URL, api_workers=1) as stack:
        settings, base_url = stack.settings, stack.base_url
        assert stack.api.process is not None
        api_pid = stack.api.process.pid
        auth = {"Authorization": f"Bearer {await stack.token('bench')}"}
        async with loopback.client(base_url=base_url, headers=auth, timeout=60) as proxy:
            _key, port, jupyter_token = await running_notebook(settings, proxy)
            prefix = "/"  # Jupyter's base URL: the root of the notebook's origin
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
                ws_base = str(proxy.base_url).rstrip("/").replace("http://", "ws://")
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
    http_ratio, _ = report("HTTP GET /api/status on the notebook's origin", http_t, http_d)
    print(f"  api CPU per proxied request: {http_cpu:.0f} µs")
    print()
    _, ws_added = report("Kernel execute round trip over the channels WebSocket", ws_t, ws_d)
    print(f"  api CPU per proxied round trip: {ws_cpu:.0f} µs")
    print()
    print(f"load average while running: {load_average()}")
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
