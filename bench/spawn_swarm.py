"""Notebook spawn under Swarm: `python -m bench.notebook_spawn --runtime swarm`.

Three spawns, interleaved round by round (the order rotates, so drift on a shared machine
hits all alike), each of the same image:
  a) WorkSpace on Swarm: POST /api/notebooks → `healthy` on the live feed. The api runs
     here, the worker in a container on the test swarm's manager (as a stack runs it,
     joined to each notebook's overlay); the swarm is a second Docker daemon started for
     the run (tests/support/swarm_engine.py) and removed after it.
  b) a bare `docker service create` on the same swarm (bench/_swarm.py): overlay, service,
     first 200 from a client on that overlay.
  c) WorkSpace on one engine (the host's): POST → `healthy`, as bench.notebook_spawn's a.
Then each notebook is deleted with its volume and the service removed (not timed).
Printed: each round, the medians, a/b (what WorkSpace adds to a bare service) and a/c
(what Swarm costs against the single-engine runtime).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time

import aiodocker
import httpx

from bench._feed import Feed, notebook_event, open_feed
from bench._stack import instance_name, running_stack
from bench._stats import load_average, median
from bench._swarm import raw_service_round, start_prober
from tests.support import host_guard, swarm_engine
from tests.support.swarm_worker import SwarmWorker

TIMEOUT_SECONDS = 180.0
SWARM_REDIS_URL = os.environ.get("WORKSPACE_BENCH_SWARM_REDIS_URL", "redis://127.0.0.1:6379/11")


async def workspace_round(http: httpx.AsyncClient, feed: Feed, image: str, name: str) -> int:
    """ns from POST /api/notebooks to its `healthy` on the feed; then purged (not timed)."""
    start = len(feed.history)
    t0 = time.time_ns()
    r = await http.post("/api/notebooks", json={"name": name, "image": image})
    r.raise_for_status()
    notebook_id = int(r.json()["id"])
    stamp, message = await feed.wait_for(
        lambda m: notebook_event(m, notebook_id, "healthy", "unhealthy", "error"),
        start=start,
        timeout=TIMEOUT_SECONDS,
    )
    if message["data"]["status"] != "healthy":
        raise RuntimeError(f"notebook {notebook_id}: {message['data']}")
    mark = len(feed.history)
    r = await http.delete(f"/api/notebooks/{notebook_id}", params={"purge": "true"})
    r.raise_for_status()
    await feed.wait_for(lambda m: notebook_event(m, notebook_id, "removed"), start=mark, timeout=60)
    return stamp - t0


def _ms(ns: float) -> str:
    return f"{ns / 1e6:7.0f}"


async def bench(images: list[str], rounds: int, warmup: int) -> None:
    engine = swarm_engine.up(tuple(dict.fromkeys([swarm_engine.TEST_IMAGE, *images])))
    engine.label_node(engine.node_ids["manager"], {swarm_engine.NODE_LABEL: "true"})
    swarm = aiodocker.Docker(url=engine.url)
    async with (
        running_stack("spawnplain") as plain,
        running_stack(
            "spawnswarm",
            redis_url=SWARM_REDIS_URL,
            make_worker=SwarmWorker,
            runtime="swarm",
        ) as on_swarm,
    ):
        print(
            f"plain stack {plain.base_url}, swarm stack {on_swarm.base_url}"
            f" (worker on {engine.url})"
        )
        print(f"load average at start {load_average()}")
        prober = await start_prober(swarm, swarm_engine.TEST_IMAGE)
        tokens = (await on_swarm.token("bench"), await plain.token("bench"))
        feeds = (await open_feed(on_swarm.port, tokens[0]), await open_feed(plain.port, tokens[1]))
        clients = (on_swarm.client(tokens[0]), plain.client(tokens[1]))
        summary = []
        try:
            for image in images:
                tag = image.split("/")[-1].split(":")[0]
                print(f"\n== {image}: {rounds} rounds (+{warmup} warm-up, not counted) ==")
                print(
                    "a = WorkSpace on Swarm, b = bare docker service create,"
                    " c = WorkSpace on one engine; ms"
                )
                print("round       a       b       c    a/b    a/c")
                samples: dict[str, list[int]] = {"a": [], "b": [], "c": []}
                for i in range(-warmup, rounds):
                    order = ["a", "b", "c"][i % 3 :] + ["a", "b", "c"][: i % 3]
                    got: dict[str, int] = {}
                    for which in order:
                        name = f"spawn-{tag}-{i + warmup}-{secrets.token_hex(3)}"
                        if which == "a":
                            got["a"] = await workspace_round(clients[0], feeds[0], image, name)
                        elif which == "b":
                            got["b"] = await raw_service_round(
                                swarm, engine.url, prober, image, TIMEOUT_SECONDS
                            )
                        else:
                            got["c"] = await workspace_round(clients[1], feeds[1], image, name)
                        await asyncio.sleep(0.5)  # let the removal's I/O settle
                    label = "warm" if i < 0 else f"{i + 1:5d}"
                    print(
                        f"{label:>5} {_ms(got['a'])} {_ms(got['b'])} {_ms(got['c'])}"
                        f" {got['a'] / got['b']:6.2f} {got['a'] / got['c']:6.2f}",
                        flush=True,
                    )
                    if i >= 0:
                        for which, ns in got.items():
                            samples[which].append(ns)
                ma, mb, mc = (median([float(x) for x in samples[k]]) for k in "abc")
                print(f"median {_ms(ma)} {_ms(mb)} {_ms(mc)} {ma / mb:6.3f} {ma / mc:6.3f}")
                summary.append((image, ma, mb, mc))
        finally:
            for feed in feeds:
                feed.close()
            for client in clients:
                await client.aclose()
            await swarm.close()
    print(f"\nload average at the end {load_average()}")
    print("summary (medians, ms): a WorkSpace on Swarm, b bare service, c WorkSpace on one engine")
    for image, ma, mb, mc in summary:
        print(
            f"  {image:26s} a {_ms(ma)}  b {_ms(mb)}  c {_ms(mc)}"
            f"  a/b {ma / mb:.3f}  a/c {ma / mc:.3f}"
        )


async def main(images: list[str], rounds: int, warmup: int) -> None:
    with swarm_engine.exclusive():
        before = host_guard.snapshot()
        try:
            await bench(images, rounds, warmup)
        finally:
            swarm_engine.down()
            host_guard.check(
                before,
                label=f"workspace.instance={instance_name('swarmcheck')}",
                leftovers=swarm_engine.OUR_LINKS,
            )
