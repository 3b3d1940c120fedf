"""Time from a notebook status event published on the server to the badge changing in a browser.

Starts a real api process (its own PostgreSQL database and Redis database 12), signs a user in
to the built dashboard in headless Chromium, then publishes synthetic notebook status events
with increasing versions on the Redis channel the api fans out (`workspace:events...`) and times
each until the badge's DOM shows it (a MutationObserver stamps the change). No worker or Docker
is involved: the notebook row is stored directly, the events are ours.

    uv run python -m bench.badge_latency [--events 20]

Both clocks are this machine's (Python's time.time() and the page's performance.timeOrigin +
performance.now()), so the figure includes Redis, the api's fan-out, the WebSocket, the cache
merge and React's render.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
from playwright.async_api import async_playwright
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.live.events import Event, publish
from app.models.notebook import Notebook, NotebookPublic, Status
from tests.support.chromium import launch_chromium
from tests.support.databases import database_url, fresh_database
from tests.support.processes import api_service, free_port, process_env, wait_http

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://workspace:workspace@127.0.0.1:5432/postgres"
DB_NAME = "workspace_bench_badge"
REDIS_URL = "redis://127.0.0.1:6379/12"
USER_ID = 9001  # pub/sub spans Redis databases: keep clear of other runs' user ids
USERNAME, PASSWORD = "bench", "bench-password-long-enough"

# Stamps every change of a badge's status with the page's high-resolution wall clock.
OBSERVE = """
window.__changes = [];
const badge = document.querySelector('article .badge[data-status]');
new MutationObserver(() => {
  const t = performance.timeOrigin + performance.now();
  window.__changes.push({ status: badge.dataset.status, t });
}).observe(badge, { attributes: true, attributeFilter: ['data-status'] });
"""


def db_url() -> str:
    return database_url(DB_NAME, PG_ADMIN_URL)


async def prepare_database() -> None:
    await fresh_database(DB_NAME, PG_ADMIN_URL)
    conn = await asyncpg.connect(db_url())
    try:
        await conn.execute(f"ALTER SEQUENCE users_id_seq RESTART WITH {USER_ID}")
    finally:
        await conn.close()


async def store_notebook(settings: Settings) -> NotebookPublic:
    engine = make_engine(settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as db:
            notebook = Notebook(
                owner_id=USER_ID,
                name="bench",
                image="workspace/testnb:latest",
                cpus=0.5,
                memory_mb=256,
                env={},
                keep_volume=True,
                idle_timeout_minutes=0,
                status=Status.stopped,
                jupyter_token="bench-not-a-real-token",
            )
            db.add(notebook)
            await db.commit()
            await db.refresh(notebook)
            return NotebookPublic.of(notebook)
    finally:
        await engine.dispose()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(events: int) -> dict[str, Any]:
    await prepare_database()
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    await redis.flushdb()
    await asyncio.to_thread(
        subprocess.run, [str(ROOT / "scripts" / "prepare-assets.sh")], check=True, cwd=ROOT
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(
        _env_file=None,
        environment="test",
        secret_key="bench-secret",
        database_url=db_url(),
        redis_url=REDIS_URL,
        public_url=base,
        instance="wsbenchbadge",
    )
    await asyncio.to_thread(
        subprocess.run,
        [str(Path(sys.executable).parent / "workspace"), "admin", "create-user", USERNAME],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
        env=process_env(settings),
        cwd=ROOT,
    )
    notebook = await store_notebook(settings)
    api = api_service(settings, port)
    await api.start()
    try:
        await wait_http(f"{base}/api/health")
        async with async_playwright() as pw:
            browser = await launch_chromium(pw)
            context = await browser.new_context(base_url=base)
            login = {"username": USERNAME, "password": PASSWORD}
            assert (await context.request.post("/api/auth/login", data=login)).ok
            page = await context.new_page()
            await page.goto("/notebook-servers")
            await page.wait_for_selector("article .badge[data-status='stopped']")
            await page.wait_for_selector(".live-online")
            await page.evaluate(OBSERVE)

            latencies: list[float] = []
            data = notebook.model_dump(mode="json")
            for i in range(events + 2):  # the first two warm up
                status = "healthy" if i % 2 == 0 else "starting"
                version = notebook.version + 1 + i
                event = Event(
                    user_id=USER_ID,
                    topic="notebook",
                    action="status",
                    id=notebook.id,
                    version=version,
                    data={**data, "status": status, "version": version},
                )
                sent = time.time() * 1000
                await publish(redis, event)
                await page.wait_for_function(f"window.__changes.length >= {i + 1}", timeout=10_000)
                change = await page.evaluate(f"window.__changes[{i}]")
                assert change["status"] == status, change
                if i >= 2:
                    latencies.append(change["t"] - sent)
                await asyncio.sleep(0.05)
            await browser.close()
    finally:
        await api.stop()
        await redis.aclose()
    return {
        "events": len(latencies),
        "median_ms": round(statistics.median(latencies), 2),
        "p90_ms": round(percentile(latencies, 0.9), 2),
        "min_ms": round(min(latencies), 2),
        "max_ms": round(max(latencies), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20)
    args = parser.parse_args()
    result = asyncio.run(run(args.events))
    print(json.dumps(result))
    print(
        f"badge latency over {result['events']} events: median {result['median_ms']} ms, "
        f"p90 {result['p90_ms']} ms (min {result['min_ms']}, max {result['max_ms']})"
    )


if __name__ == "__main__":
    main()
