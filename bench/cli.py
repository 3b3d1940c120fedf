"""The `workspace` command's wall time, against references run alongside.

    .venv/bin/python -m bench.cli [--runs 20]

1. `workspace --help`, against the bare interpreter (`python -c pass`): the command's own
   start-up (typer and the command modules; the client and server code are not imported).
   The target is 150 ms on an idle machine.
2. `workspace todo ls` (50 todos, a table of plain rows) against `curl` of the same request
   (`GET /api/todos` with the same Bearer token), on a private api (its own PostgreSQL
   and Redis databases, bench/_stack.py; no worker and no Docker: listing todos needs
   neither).

Runs alternate (a b a b …) so a change of load hits both sides; medians of `--runs` each.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from bench._stack import bench_settings
from bench._stats import load_average, median
from tests.support.processes import free_port, running_api
from tests.support.stack import user_token

WORKSPACE = str(Path(sys.executable).parent / "workspace")
HELP_TARGET_MS = 150.0


@contextlib.asynccontextmanager
async def private_api() -> AsyncIterator[tuple[str, str]]:
    """An api process on the bench's own database; yields its URL and a token of alice's."""
    async with bench_settings("cli") as settings:
        port = free_port()
        async with running_api(settings, port):
            base_url = f"http://127.0.0.1:{port}"
            yield base_url, await user_token(settings, base_url, "alice")


def wall_ms(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return (time.perf_counter() - started) * 1000


def alternate(
    a: list[str], b: list[str], env: dict[str, str], runs: int
) -> tuple[list[float], list[float]]:
    wall_ms(a, env), wall_ms(b, env)  # warm the page cache and the .pyc files
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(runs):
        first, second = (a, b) if i % 2 == 0 else (b, a)
        t_first, t_second = wall_ms(first, env), wall_ms(second, env)
        times_a.append(t_first if first is a else t_second)
        times_b.append(t_second if first is a else t_first)
    return times_a, times_b


def report(label: str, a: list[float], b: list[float], reference: str) -> float:
    ma, mb = median(a), median(b)
    print(f"{label:<28} {ma:8.1f} ms   {reference:<22} {mb:8.1f} ms   ratio {ma / mb:5.2f}")
    return ma


async def main(runs: int) -> int:
    curl = shutil.which("curl")
    if curl is None:
        raise SystemExit("curl is needed for the reference")
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="wsbench-cli-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSPACE_")}
        env["XDG_CONFIG_HOME"] = home  # no saved login of this machine's
        help_a, help_b = alternate([WORKSPACE, "--help"], [sys.executable, "-c", "pass"], env, runs)
        help_ms = report("workspace --help", help_a, help_b, "python -c pass")

        async with private_api() as (base_url, token):
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(base_url=base_url, headers=headers) as api:
                for i in range(50):
                    r = await api.post("/api/todos", json={"title": f"todo {i}", "tags": ["b"]})
                    r.raise_for_status()
            env |= {"WORKSPACE_URL": base_url, "WORKSPACE_TOKEN": token}
            url = f"{base_url}/api/todos?sort=order&limit=50&offset=0"
            reference = [curl, "-sf", "-H", f"Authorization: Bearer {token}", url]
            ls_a, ls_b = await asyncio.to_thread(
                alternate, [WORKSPACE, "todo", "ls"], reference, env, runs
            )
            report("workspace todo ls (50)", ls_a, ls_b, "curl, same request")
    print(f"load average after: {load_average()}")
    verdict = "met" if help_ms <= HELP_TARGET_MS else "missed"
    print(f"--help target {HELP_TARGET_MS:.0f} ms: {verdict} ({help_ms:.1f} ms, medians of {runs})")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    sys.exit(asyncio.run(main(parser.parse_args().runs)))
