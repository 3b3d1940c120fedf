"""Event latency: from a Docker event to the WebSocket clients of /api/events.

    .venv/bin/python -m bench.event_latency [--clients 1,100,1000] [--cycles 30]

Starts a real api and worker (subprocesses) on a private database, Redis DB 13 and the
Docker instance `wsbench-ev`; creates one user and one healthy notebook (testnb image).
For each N it opens N WebSocket clients of that user, all in this one process (a bare
asyncio protocol on uvloop that stamps each message when its bytes arrive), then repeats:
`docker kill` the notebook's container; Docker's `die` event carries `timeNano`, the
watcher turns it into `stopped` and publishes it; latency = the time each client
receives that event minus `timeNano` (one host, one clock). Then it starts the notebook
again through the API, waits for `healthy`, and goes on (the restart is not timed).

Also records where the time goes: when this process itself gets the `die` event from
Docker (delivery), the row's `updated_at` written by the watcher (event → database
update), when a second Redis subscriber here sees the publish (update → publish), and
publish → each WebSocket client. Targets: p50 < 5 ms with 1 client, p99 < 50 ms with
1,000 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime

import aiodocker
import uvloop
from redis.asyncio import Redis

from app.live.events import every_user_channel
from bench._feed import Feed, notebook_event, open_feed
from bench._stack import API_PROCESSES, WORKERS, DockerEvents, running_stack
from bench._stats import load_average, median, percentile
from tests.support.environment import TEST_IMAGE
from tests.support.stack import Stack

NEEDLE = b'"status":"stopped"'
CONNECT_BATCH = 50


@dataclass
class Cycle:
    die_ns: int
    docker_seen_ns: int
    updated_ns: int
    published_ns: int
    received_ns: list[int]


@dataclass
class Round:
    clients: int
    cycles: list[Cycle] = field(default_factory=list)
    connect_seconds: float = 0.0


class Arrivals:
    """Counts the clients that have the `stopped` event in this cycle."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.got = 0
        self.done = asyncio.Event()

    def reset(self) -> None:
        self.got = 0
        self.done.clear()

    def hook(self, feed: Feed, now: int, raw: bytes) -> None:
        if feed.mark is None and NEEDLE in raw:
            feed.mark = now
            self.got += 1
            if self.got >= self.expected:
                self.done.set()


class Publishes:
    """A second subscriber to the api's Redis channels: when `stopped` was published."""

    def __init__(self, redis_url: str) -> None:
        self.redis = Redis.from_url(redis_url)
        self.channel = every_user_channel(self.redis)
        self.stamps: list[int] = []
        self.ready = asyncio.Event()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async with self.redis.pubsub(ignore_subscribe_messages=True) as pubsub:
            await pubsub.psubscribe(self.channel)
            self.ready.set()
            async for item in pubsub.listen():
                if item["type"] == "pmessage" and NEEDLE in item["data"]:
                    self.stamps.append(time.time_ns())

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self.redis.aclose()


async def running_container(docker: aiodocker.Docker, instance: str, key: str) -> str:
    labels = [f"workspace.instance={instance}", f"workspace.notebook_key={key}"]
    containers = await docker.containers.list(
        filters=json.dumps({"label": labels, "status": ["running"]})
    )
    if len(containers) != 1:
        raise RuntimeError(f"expected one running container, found {len(containers)}")
    return str(containers[0].id)


async def open_feeds(stack: Stack, token: str, n: int, arrivals: Arrivals) -> list[Feed]:
    feeds: list[Feed] = []
    try:
        for start in range(0, n, CONNECT_BATCH):
            batch = min(CONNECT_BATCH, n - start)
            feeds += await asyncio.gather(
                *(open_feed(stack.port, token, arrivals.hook) for _ in range(batch))
            )
    except BaseException:
        for feed in feeds:
            feed.close()
        raise
    return feeds


async def measure(
    stack: Stack,
    token: str,
    docker: aiodocker.Docker,
    notebook_id: int,
    key: str,
    n: int,
    cycles: int,
    dies: DockerEvents,
    publishes: Publishes,
) -> Round:
    arrivals = Arrivals(n)
    t = time.monotonic()
    feeds = await open_feeds(stack, token, n, arrivals)
    result = Round(n, connect_seconds=time.monotonic() - t)
    control = feeds[0]
    try:
        async with stack.client(token) as http:
            for _ in range(cycles):
                container_id = await running_container(docker, stack.settings.instance, key)
                await asyncio.sleep(0.3)  # quiet: the restart's own events are all delivered
                for feed in feeds:
                    feed.mark = None
                    feed.history.clear()
                arrivals.reset()
                publishes.stamps.clear()
                await docker.containers.container(container_id).kill(signal="SIGKILL")
                await asyncio.wait_for(arrivals.done.wait(), 20)
                die_ns, docker_seen_ns = await dies.wait("die", container_id, 10)
                message = next(json.loads(raw) for _, raw in control.history if NEEDLE in raw)
                if not notebook_event(message, notebook_id, "stopped"):
                    raise RuntimeError(f"unexpected event: {message}")
                updated = datetime.fromisoformat(message["data"]["updated_at"])
                received = [feed.mark for feed in feeds if feed.mark is not None]
                result.cycles.append(
                    Cycle(
                        die_ns=die_ns,
                        docker_seen_ns=docker_seen_ns,
                        updated_ns=round(updated.timestamp() * 1e9),
                        published_ns=publishes.stamps[0] if publishes.stamps else 0,
                        received_ns=received,
                    )
                )
                # Not timed: start it again and wait until it is healthy.
                mark = len(control.history)
                r = await http.post(f"/api/notebooks/{notebook_id}/start")
                r.raise_for_status()
                await control.wait_for(
                    lambda m: notebook_event(m, notebook_id, "healthy"), start=mark, timeout=60
                )
    finally:
        for feed in feeds:
            feed.close()
        await asyncio.sleep(0.5)  # let the api drop them before the next round connects
    return result


def report(rounds: list[Round]) -> None:
    def ms(ns: float, width: int = 7) -> str:
        return f"{ns / 1e6:{width}.2f}"

    print("\nlatency: Docker `die` (timeNano) → `stopped` received by each WebSocket client, ms")
    print("clients  samples      p50      p90      p99      max   connect")
    for r in rounds:
        lat = [float(x - c.die_ns) for c in r.cycles for x in c.received_ns]
        print(
            f"{r.clients:7d}  {len(lat):7d}  {ms(percentile(lat, 50))}  {ms(percentile(lat, 90))}"
            f"  {ms(percentile(lat, 99))}  {ms(max(lat))}  {r.connect_seconds:6.1f} s"
        )
    print(
        "\nwhere it goes, ms: medians over cycles, except publish→WS (over every client)\n"
        "  delivery = Docker → this process; row = `die` → the watcher's row update\n"
        "  (its updated_at); publish = row update → publish seen on Redis here;\n"
        "  spread = first → last client in a cycle (and per client)"
    )
    print("clients  delivery      row  publish  publish→WS p50      p99   spread  per client")
    for r in rounds:
        cs = [c for c in r.cycles if c.published_ns]
        if not cs:
            continue
        fan = [float(x - c.published_ns) for c in cs for x in c.received_ns]
        spread = median([float(max(c.received_ns) - min(c.received_ns)) for c in cs])
        per_client = f"{spread / (r.clients - 1) / 1e3:7.1f} µs" if r.clients > 1 else ""
        print(
            f"{r.clients:7d}  {ms(median([float(c.docker_seen_ns - c.die_ns) for c in cs]), 8)}"
            f" {ms(median([float(c.updated_ns - c.die_ns) for c in cs]), 8)}"
            f" {ms(median([float(c.published_ns - c.updated_ns) for c in cs]), 8)}"
            f"      {ms(percentile(fan, 50), 8)} {ms(percentile(fan, 99), 8)}"
            f" {ms(spread, 8)}  {per_client}"
        )


def dump(rounds: list[Round], path: str) -> None:
    """Every cycle's raw stamps (ns), for a closer look than the summary."""
    data = [
        {
            "clients": r.clients,
            "connect_seconds": r.connect_seconds,
            "cycles": [asdict(c) for c in r.cycles],
        }
        for r in rounds
    ]
    with open(path, "w") as f:
        json.dump(data, f)


async def main(
    counts: list[int], cycles: int, worker: str, api_workers: int, json_path: str | None
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(counts) * 2 + 1024  # our sockets, and the api's (it inherits the limit)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    settings_path = WORKERS.get(worker, worker)
    # Every client is the one bench user: its cap on live-feed sockets must fit them all.
    async with running_stack(
        "ev",
        worker=settings_path,
        api_workers=api_workers,
        max_websockets_per_user=max(counts),
    ) as stack:
        print(
            f"api {stack.base_url} ({api_workers} process(es)), worker {settings_path},"
            f" instance {stack.settings.instance}"
        )
        print(f"clients: one process (uvloop); load average at start {load_average()}")
        token = await stack.token("bench")
        docker = aiodocker.Docker()
        dies = DockerEvents(docker, ["die"], stack.settings.instance)
        publishes = Publishes(stack.settings.redis_url)
        rounds: list[Round] = []
        try:
            await asyncio.wait_for(publishes.ready.wait(), 10)
            feed = await open_feed(stack.port, token)
            async with stack.client(token) as http:
                r = await http.post(
                    "/api/notebooks",
                    json={"name": "latency", "image": TEST_IMAGE, "cpus": 0.5, "memory_mb": 256},
                )
                r.raise_for_status()
                notebook_id, key = int(r.json()["id"]), str(r.json()["key"])
            await feed.wait_for(lambda m: notebook_event(m, notebook_id, "healthy"), timeout=60)
            feed.close()
            for n in counts:
                print(f"{n} clients: {cycles} kill/start cycles…", flush=True)
                rounds.append(
                    await measure(
                        stack, token, docker, notebook_id, key, n, cycles, dies, publishes
                    )
                )
        finally:
            await publishes.close()
            await dies.close()
            await docker.close()
    report(rounds)
    print(f"load average at the end {load_average()}")
    if json_path:
        dump(rounds, json_path)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1,100,1000", help="comma-separated client counts")
    parser.add_argument("--cycles", type=int, default=30, help="kill/start cycles per count")
    parser.add_argument(
        "--worker",
        default="default",
        help="arq worker settings: default, fast-poll, or a dotted path (experiments)",
    )
    parser.add_argument(
        "--api-workers",
        type=int,
        default=API_PROCESSES,
        help="api processes (uvicorn --workers; default: as make run, one per core up to 4)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write every cycle's stamps here")
    args = parser.parse_args()
    counts = [int(x) for x in args.clients.split(",") if x.strip()]
    if not counts or min(counts) < 1 or args.cycles < 1:
        parser.error("--clients takes positive integers; --cycles must be at least 1")
    try:
        uvloop.run(main(counts, args.cycles, args.worker, args.api_workers, args.json))
    except (KeyboardInterrupt, asyncio.CancelledError):
        sys.exit("interrupted (processes stopped, containers and database removed)")


if __name__ == "__main__":
    cli()
