"""Time from a notebook status event published on the server to the badge changing in a browser.

Starts a real api process (its own PostgreSQL database and Redis database), signs a user in
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
from bench._stack import bench_settings
from bench._stats import median, percentile
from tests.support.chromium import launch_chromium
from tests.support.environment import ROOT, TEST_IMAGE
from tests.support.processes import free_port, process_env, running_api

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


async def restart_user_ids(settings: Settings) -> None:
    conn = await asyncpg.connect(settings.database_url)
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
                image=TEST_IMAGE,
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


async def run(events: int) -> dict[str, Any]:
    await asyncio.to_thread(
        subprocess.run, [str(ROOT / "scripts" / "prepare-assets.sh")], check=True, cwd=ROOT
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with bench_settings("badge", public_url=base) as settings:
        await restart_user_ids(settings)
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
        redis = Redis.from_url(settings.redis_url, decode_responses=True)
        try:
            async with running_api(settings, port):
                latencies = await measure(base, notebook, redis, events)
        finally:
            await redis.aclose()
    return {
        "events": len(latencies),
        "median_ms": round(median(latencies), 2),
        "p90_ms": round(percentile(latencies, 90), 2),
        "min_ms": round(min(latencies), 2),
        "max_ms": round(max(latencies), 2),
    }


async def measure(base: str, notebook: NotebookPublic, redis: Redis, events: int) -> list[float]:
    """Publish `events` status changes (after two to warm up); each one's latency, ms."""
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
        for i in range(events + 2):
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
    return latencies


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
