"""Opening a notebook in Chromium: the dashboard's Open (the hand-off) against loading the same
JupyterLab page on the notebook's origin directly, each until JupyterLab's first API call is
answered.

    .venv/bin/python -m bench.notebook_open [--rounds 15]

Starts a real api and worker (bench/_stack.py), one JupyterLab notebook, and headless
Chromium signed in on the dashboard. Then, alternating in one browser context (so both load
from a warm cache and differ only by the way in), in a new tab each time:
  a) Open: `/notebooks/{key}/lab` on the dashboard → the session checked, a ticket → the
     notebook's origin swaps it for its pass → `/lab`;
  b) direct: `/lab` on the notebook's origin, the pass already held (a reload, a bookmark).
Each is timed from the navigation's start to the end of the first response JupyterLab's
page asks of Jupyter's API (`/api/…` or `/lab/api/…`). Prints the medians, their ratio and
the hand-off's added milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from urllib.parse import urlsplit

import uvloop
from playwright.async_api import BrowserContext, Request, async_playwright

from app.core import notebook_origin
from bench._stack import running_stack
from bench._stats import load_average, median, percentile
from tests.support.chromium import launch_chromium
from tests.support.environment import JUPYTER_IMAGE, PASSWORD


def first_api_call(request: Request) -> bool:
    path = urlsplit(request.url).path
    return path.startswith(("/api/", "/lab/api/"))


async def timed_open(context: BrowserContext, url: str) -> float:
    """ms from the navigation's start until JupyterLab's first API response has arrived."""
    page = await context.new_page()
    try:
        async with page.expect_event("requestfinished", first_api_call, timeout=120_000):
            start = time.perf_counter()
            await page.goto(url, wait_until="commit")
        return (time.perf_counter() - start) * 1000
    finally:
        await page.close()


async def main(rounds: int) -> None:
    async with running_stack("open") as stack:
        print(f"api {stack.base_url}; load average at start {load_average()}")
        token = await stack.token("bench")
        async with stack.client(token) as http:
            r = await http.post("/api/notebooks", json={"name": "open", "image": JUPYTER_IMAGE})
            r.raise_for_status()
            key, nb = r.json()["key"], r.json()["id"]
            for _ in range(900):
                if (await http.get(f"/api/notebooks/{nb}")).json()["status"] == "healthy":
                    break
                await asyncio.sleep(0.2)
            else:
                raise TimeoutError("the notebook never became healthy")
        origin = notebook_origin.origin(stack.settings, key)
        handoff, direct = f"{stack.base_url}/notebooks/{key}/lab", f"{origin}/lab"
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            context = await browser.new_context()
            r2 = await context.request.post(
                f"{stack.base_url}/api/auth/login",
                data={"username": "bench", "password": PASSWORD},
            )
            assert r2.ok, await r2.text()
            for _ in range(2):  # warm: the pass, the bundles in the cache, Jupyter's own
                await timed_open(context, handoff)
                await timed_open(context, direct)
            through: list[float] = []
            straight: list[float] = []
            print("round  open(hand-off)  direct   ms")
            for i in range(rounds):
                pair = [(handoff, through), (direct, straight)]
                for url, into in pair if i % 2 == 0 else reversed(pair):
                    into.append(await timed_open(context, url))
                print(f"{i + 1:5d} {through[-1]:14.0f} {straight[-1]:8.0f}", flush=True)
            await browser.close()
    ma, mb = median(through), median(straight)
    print(f"median {ma:14.0f} {mb:8.0f}   ratio {ma / mb:.3f}, hand-off adds {ma - mb:+.0f} ms")
    print(
        f"p90    {percentile(through, 90):14.0f} {percentile(straight, 90):8.0f}"
        f"   load average at the end {load_average()}"
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    try:
        uvloop.run(main(args.rounds))
    except (KeyboardInterrupt, asyncio.CancelledError):
        sys.exit("interrupted (processes stopped, containers and database removed)")


if __name__ == "__main__":
    cli()
