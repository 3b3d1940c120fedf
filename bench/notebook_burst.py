"""Many notebooks at once: N `POST /api/notebooks` together → all N `healthy` on the live
feed, against N parallel `docker run`s of the same image → all N answering; and the same
right after deleting N (the case where reused ids once made new notebooks wait for reconcile).

    .venv/bin/python -m bench.notebook_burst [--image IMAGE] [--count 8] [--rounds 3]
                                             [--spares N]

Starts a real api and worker (bench/_stack.py: private database, Redis DB 13, the Docker
instance name of the benches). Each round, in alternating order:
  a) WorkSpace, fresh: N creates at once; the time from the first POST until the last
     notebook's `healthy` event reaches a WebSocket client of /api/events.
  a') WorkSpace, right after a delete: those N deleted (purge; not timed, until their rows
     are gone), then N creates of the same names at once, timed as a.
  b) reference: N containers of the same image created and started at once, as
     `docker run -d -p 127.0.0.1::8888` does through the Engine API, each polled every 5 ms
     (a bare GET of its status with the token) until it answers 200; the time until the last.
Before a and before b, the worker's spare networks are all made again (a' runs right after
the delete, top-up or not). `--spares` sets how many it keeps (default: the product's).
Prints each round, the medians and the ratios a/b and a'/b (target ≤ 1.1 each). Jupyter's
boot under N at once on a shared machine varies a lot: compare figures of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import sys
import time
from functools import partial
from typing import Any

import aiodocker
import httpx
import uvloop
from redis.asyncio import Redis

from bench._feed import Feed, notebook_event, open_feed
from bench._stack import running_stack
from bench._stats import load_average, median
from bench.notebook_spawn import POLL_SECONDS, REFERENCE_LABEL, TIMEOUT_SECONDS, spares_made
from tests.support.environment import JUPYTER_IMAGE
from worker.readiness import status_code

TARGET = 1.1


async def all_healthy(feed: Feed, ids: list[int], start: int) -> int:
    """Wall-clock ns when the last of `ids` reported `healthy` (after history index `start`)."""
    last = 0
    for notebook_id in ids:
        settled = partial(_event, notebook_id, ("healthy", "unhealthy", "error"))
        stamp, message = await feed.wait_for(settled, start=start, timeout=TIMEOUT_SECONDS)
        if message["data"]["status"] != "healthy":
            raise RuntimeError(f"notebook {notebook_id}: {message['data']}")
        last = max(last, stamp)
    return last


async def create_all(
    http: httpx.AsyncClient, feed: Feed, image: str, names: list[str]
) -> tuple[int, list[int]]:
    """Create every name at once; (ns until all healthy, their ids)."""
    start = len(feed.history)
    t0 = time.time_ns()
    answers = await asyncio.gather(
        *(http.post("/api/notebooks", json={"name": n, "image": image}) for n in names)
    )
    for r in answers:
        r.raise_for_status()
    ids = [int(r.json()["id"]) for r in answers]
    return await all_healthy(feed, ids, start) - t0, ids


async def delete_all(http: httpx.AsyncClient, feed: Feed, ids: list[int]) -> None:
    """Purge every notebook and wait until their rows are gone (their names free again)."""
    start = len(feed.history)
    for r in await asyncio.gather(
        *(http.delete(f"/api/notebooks/{nb}", params={"purge": "true"}) for nb in ids)
    ):
        r.raise_for_status()
    for nb in ids:
        await feed.wait_for(partial(_event, nb, ("removed",)), start=start, timeout=120)
    for _ in range(2400):  # the job deletes each row right after `removed`
        if not (await http.get("/api/notebooks")).json()["count"]:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the deleted notebooks' rows stayed")


def _event(notebook_id: int, statuses: tuple[str, ...], message: dict[str, Any]) -> bool:
    return notebook_event(message, notebook_id, *statuses)


async def reference(docker: aiodocker.Docker, image: str, count: int, instance: str) -> int:
    """N containers created and started at once, each polled until it answers."""

    async def one() -> tuple[Any, int]:
        token = secrets.token_hex(32)
        config: dict[str, Any] = {
            "Image": image,
            "Env": [f"JUPYTER_TOKEN={token}", "JUPYTER_BASE_URL=/"],
            "ExposedPorts": {"8888/tcp": {}},
            "Labels": {"workspace.instance": instance, REFERENCE_LABEL: "1"},
            "HostConfig": {"PortBindings": {"8888/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}},
        }
        container = await docker.containers.run(config=config)
        info = await container.show()
        port = int(info["NetworkSettings"]["Ports"]["8888/tcp"][0]["HostPort"])
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while await status_code(f"http://127.0.0.1:{port}/api/status", token) != 200:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{image} did not answer within {TIMEOUT_SECONDS:.0f} s")
            await asyncio.sleep(POLL_SECONDS)
        return container, time.time_ns()

    t0 = time.time_ns()
    results = await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True)
    try:
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]
        return max(done for _, done in results) - t0  # type: ignore[misc]
    finally:
        for result in results:
            if not isinstance(result, BaseException):
                with contextlib.suppress(aiodocker.DockerError):
                    await result[0].delete(force=True, v=True)


def _s(ns: float) -> str:
    return f"{ns / 1e9:7.2f}"


async def main(image: str, count: int, rounds: int, spares: int | None) -> None:
    options: dict[str, Any] = {} if spares is None else {"notebook_spare_networks": spares}
    async with running_stack("burst", **options) as stack:
        print(f"api {stack.base_url}, instance {stack.settings.instance}, {count} x {image}")
        print(f"load average at start {load_average()}")
        token = await stack.token("bench")
        feed = await open_feed(stack.port, token)
        redis = Redis.from_url(stack.settings.redis_url, decode_responses=True)
        settle = partial(spares_made, redis, stack.settings)
        print(f"spare networks kept: {stack.settings.notebook_spare_networks}")
        docker = aiodocker.Docker()
        fresh: list[float] = []
        again: list[float] = []
        ref: list[float] = []
        try:
            async with stack.client(token) as http:
                http.timeout = httpx.Timeout(120)
                print("round   a fresh  a' after delete    b      a/b   a'/b   (seconds)")
                for i in range(rounds):
                    names = [f"burst-{i}-{n}" for n in range(count)]
                    if i % 2:
                        await settle()
                        b = await reference(docker, image, count, stack.settings.instance)
                    await settle()
                    a, ids = await create_all(http, feed, image, names)
                    await delete_all(http, feed, ids)
                    a2, ids = await create_all(http, feed, image, names)
                    await delete_all(http, feed, ids)
                    if not i % 2:
                        await settle()
                        b = await reference(docker, image, count, stack.settings.instance)
                    print(
                        f"{i + 1:5d} {_s(a)} {_s(a2)}          {_s(b)} {a / b:6.2f} {a2 / b:6.2f}",
                        flush=True,
                    )
                    fresh.append(a)
                    again.append(a2)
                    ref.append(b)
        finally:
            feed.close()
            await redis.aclose()
            await docker.close()
    ma, ma2, mb = median(fresh), median(again), median(ref)
    print(f"median {_s(ma)} {_s(ma2)}          {_s(mb)} {ma / mb:6.2f} {ma2 / mb:6.2f}")
    print(f"load average at the end {load_average()}")
    for label, ratio in (("fresh", ma / mb), ("right after deleting", ma2 / mb)):
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"{label}: median ratio {ratio:.3f} (target ≤ {TARGET}): {verdict}")


def cli() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--image", default=JUPYTER_IMAGE)
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--spares", type=int, help="spare networks the worker keeps")
    args = parser.parse_args()
    if args.rounds < 1 or args.count < 1:
        parser.error("--rounds and --count must be at least 1")
    try:
        uvloop.run(main(args.image, args.count, args.rounds, args.spares))
    except (KeyboardInterrupt, asyncio.CancelledError):
        sys.exit("interrupted (processes stopped, containers and database removed)")


if __name__ == "__main__":
    cli()
