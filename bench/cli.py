"""The `workspace` command's wall time, against references run alongside.

    .venv/bin/python -m bench.cli [--runs 20]

1. `workspace --help`, against the bare interpreter (`python -c pass`): the command's own
   start-up (typer and the command modules; the client and server code are not imported).
   The target is 150 ms on an idle machine.
2. `workspace todo ls` (50 todos, a table of plain rows) against `curl` of the same request
   (`GET /api/todos` with the same Bearer token), on a private api (its own PostgreSQL
   database and Redis database 13; no worker and no Docker: listing todos needs neither).

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

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from bench._stack import PASSWORD, REDIS_URL, load_average, median
from tests.support.databases import drop_database, fresh_database
from tests.support.processes import api_service, free_port, token_for, wait_http

WORKSPACE = str(Path(sys.executable).parent / "workspace")
HELP_TARGET_MS = 150.0


DATABASE = "workspace_bench_cli"


@contextlib.asynccontextmanager
async def private_api(data_dir: str) -> AsyncIterator[tuple[str, str]]:
    """An api process on a fresh database; yields its URL and a token of user alice."""
    url = await fresh_database(DATABASE)
    settings = Settings(
        environment="test",
        secret_key="bench-secret-key",
        data_dir=Path(data_dir),
        database_url=url,
        redis_url=REDIS_URL,
        instance="wsbenchcli",
    )
    engine = make_engine(settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        await users.create_user(db, "alice", PASSWORD)
    await engine.dispose()
    port = free_port()
    api = api_service(settings, port)
    await api.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        await wait_http(f"{base_url}/api/health")
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            token = await token_for(client, "alice", PASSWORD)
        yield base_url, token
    finally:
        await api.stop()
        with contextlib.suppress(Exception):
            await drop_database(DATABASE)


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

        async with private_api(home) as (base_url, token):
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
