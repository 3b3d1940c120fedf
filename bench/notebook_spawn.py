"""Notebook spawn: WorkSpace's `POST /api/notebooks` → `healthy` on the live feed, against a
plain `docker run` of the same image → Jupyter's first 200 (polled every 5 ms).

    .venv/bin/python -m bench.notebook_spawn [--image IMAGE ...] [--rounds 5] [--warmup 1]
                                             [--worker default|fast-poll|module.Settings]
                                             [--runtime docker|swarm]
                                             [--reference bridge|own-network]

Starts a real api and worker (subprocesses) on a private database, Redis DB 13 and the
Docker instance `wsbench-nb`. For each round, alternately:
  a) WorkSpace: POST /api/notebooks, time until the `healthy` event reaches a WebSocket
     client of /api/events; then DELETE ?purge=true and wait for `removed` (not timed).
  b) reference: create + start a container of the same image with the same token/base-url
     environment and a port on 127.0.0.1 (what `docker run -d -p 127.0.0.1::8888` does,
     through the Engine API, without the CLI's own start-up), then GET {base}/api/status
     every 5 ms until it answers 200; then remove it (not timed).
The order alternates (a b, b a, a b…) so drift on a shared machine hits both alike.
Before either is timed, the worker's spare networks (with their holders) are all made
again: that top-up follows each start of a, and neither a nor b runs beside it.
With `--reference own-network`, b's container is on a bridge network of its own, made
before the round (not timed) as WorkSpace's spare networks are: the same isolation by hand,
which costs Docker more per start than its default bridge.

Each run is also cut in three, from Docker's own clock: before the container's `start`
event (a: api, queue, job, volume, create; b: create), boot (`start` → the server's
"is running at"/"listening" log line, as timestamped by Docker), and detection (that
line → a: `healthy` on the WebSocket, b: first 200). Boot is the same program in both
and by far the noisiest part on a shared machine, so besides the raw ratio
median(a)/median(b) (target ≤ 1.05) the bench prints a boot-neutral ratio: each round's
a with its boot time replaced by b's, over b.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiodocker
import httpx
import uvloop
from redis.asyncio import Redis

from app.core.config import Settings
from app.services.notebooks import spare_keys
from bench._feed import Feed, notebook_event, open_feed
from bench._stack import WORKERS, DockerEvents, running_stack
from bench._stats import load_average, median
from tests.support.environment import JUPYTER_IMAGE
from worker.readiness import status_code
from worker.spec import network_spec

POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 180.0
REFERENCE_LABEL = "wsbench.reference"
# b runs without a CPU limit, so a's notebook gets every CPU of the machine: with the
# default of 1, Jupyter's boot (CPU-bound) measures the limit, not WorkSpace.
NOTEBOOK_CPUS = float(os.cpu_count() or 1)
# The line each image prints once it serves HTTP (Jupyter Server; the test image).
LISTENING = ("is running at:", "testnb listening on")


@dataclass
class Sample:
    total_ns: int  # from the request to "usable"
    pre_ns: int = 0  # → Docker's `start` event
    boot_ns: int = 0  # `start` → the server's listening line (0: no such line)
    detect_ns: int = 0  # listening line → usable
    stages: dict[str, int] = field(default_factory=dict)  # a's statuses, ns since POST

    def split(self, t0: int, start_ns: int, listening_ns: int | None, done_ns: int) -> None:
        self.pre_ns = start_ns - t0
        if listening_ns is not None:
            self.boot_ns = listening_ns - start_ns
            self.detect_ns = done_ns - listening_ns


async def listening_time(container: Any) -> int | None:
    """Docker's receive time (ns) of the server's "listening" log line, or None."""
    lines = await container.log(stdout=True, stderr=True, timestamps=True)
    for line in lines:
        if any(marker in line for marker in LISTENING):
            stamp = line.split(" ", 1)[0]  # RFC 3339 with nanoseconds
            seconds, _, fraction = stamp.rstrip("Z").partition(".")
            whole = datetime.fromisoformat(seconds + "+00:00").timestamp()
            return int(whole) * 1_000_000_000 + int((fraction + "000000000")[:9])
    return None


async def workspace_round(
    http: httpx.AsyncClient,
    feed: Feed,
    docker: aiodocker.Docker,
    events: DockerEvents,
    image: str,
    name: str,
) -> Sample:
    start_index = len(feed.history)
    t0 = time.time_ns()
    body = {"name": name, "image": image, "cpus": NOTEBOOK_CPUS}
    r = await http.post("/api/notebooks", json=body)
    t_accepted = time.time_ns()
    r.raise_for_status()
    notebook_id = int(r.json()["id"])
    stamp, message = await feed.wait_for(
        lambda m: notebook_event(m, notebook_id, "healthy", "unhealthy", "error"),
        start=start_index,
        timeout=TIMEOUT_SECONDS,
    )
    if message["data"]["status"] != "healthy":
        raise RuntimeError(f"notebook {notebook_id}: {message['data']}")
    sample = Sample(stamp - t0, stages={"202": t_accepted - t0})
    for when, raw in feed.history[start_index:]:
        m = json.loads(raw)
        if notebook_event(m, notebook_id):
            sample.stages.setdefault(m["data"]["status"], when - t0)
    # Not timed: read Docker's side, then purge the notebook and wait until it is gone.
    container = await docker.containers.get(f"{events.instance}-nb-{r.json()['key']}")
    start_ns, _ = await events.wait("start", container.id, 10)
    sample.split(t0, start_ns, await listening_time(container), stamp)
    mark = len(feed.history)
    r = await http.delete(f"/api/notebooks/{notebook_id}", params={"purge": "true"})
    r.raise_for_status()
    await feed.wait_for(lambda m: notebook_event(m, notebook_id, "removed"), start=mark, timeout=60)
    return sample


@contextlib.asynccontextmanager
async def own_network(docker: aiodocker.Docker, settings: Settings) -> AsyncIterator[str]:
    """A notebook network as the worker makes one, under an instance of its own (so the
    bench's worker does not tidy it away); its name."""
    elsewhere = settings.model_copy(update={"instance": f"{settings.instance}-ref"})
    spec = network_spec(elsewhere, secrets.token_hex(16))
    network = await docker.networks.create(spec)
    try:
        yield str(spec["Name"])
    finally:
        with contextlib.suppress(aiodocker.DockerError):
            await network.delete()


async def reference_round(
    docker: aiodocker.Docker, events: DockerEvents, image: str, network: str | None
) -> Sample:
    token = secrets.token_hex(32)
    config: dict[str, Any] = {
        "Image": image,
        "Env": [f"JUPYTER_TOKEN={token}", "JUPYTER_BASE_URL=/x/"],
        "ExposedPorts": {"8888/tcp": {}},
        "Labels": {"workspace.instance": events.instance, REFERENCE_LABEL: "1"},
        "HostConfig": {"PortBindings": {"8888/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}},
    }
    if network is not None:
        config["HostConfig"]["NetworkMode"] = network
    t0 = time.time_ns()
    container = await docker.containers.run(config=config)
    try:
        info = await container.show()
        port = int(info["NetworkSettings"]["Ports"]["8888/tcp"][0]["HostPort"])
        deadline = time.monotonic() + TIMEOUT_SECONDS
        # The worker's own probe: a bare HTTP/1.1 GET on a fresh connection, so detection
        # costs both sides the same CPU while the notebook boots on the same cores.
        url = f"http://127.0.0.1:{port}/x/api/status"
        while await status_code(url, token) != 200:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{image} did not answer within {TIMEOUT_SECONDS:.0f} s")
            await asyncio.sleep(POLL_SECONDS)
        t_ready = time.time_ns()
        sample = Sample(t_ready - t0)
        start_ns, _ = await events.wait("start", container.id, 10)
        sample.split(t0, start_ns, await listening_time(container), t_ready)
        return sample
    finally:
        with contextlib.suppress(aiodocker.DockerError):
            await container.delete(force=True, v=True)


async def spares_made(redis: Redis, settings: Settings) -> None:
    """Wait (at most 30 s) until the worker offers all its spare networks again."""
    for _ in range(3000):
        if len(await spare_keys.held(redis, settings.instance)) >= settings.notebook_spare_networks:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the worker made no spare networks within 30 s")


def _ms(ns: float, width: int = 6) -> str:
    return f"{ns / 1e6:{width}.0f}"


def neutral(a: Sample, b: Sample) -> float:
    """a with its boot time replaced by b's, over b (needs both listening lines)."""
    return (a.total_ns - a.boot_ns + b.boot_ns) / b.total_ns


async def bench_image(
    http: httpx.AsyncClient,
    feed: Feed,
    docker: aiodocker.Docker,
    events: DockerEvents,
    image: str,
    rounds: int,
    warmup: int,
    settings: Settings | None,
    settle: Callable[[], Awaitable[None]],
) -> tuple[float, float, float | None]:
    """`settings`: b on a network of its own, made as for that instance (None: the default
    bridge)."""
    print(f"\n== {image}: {rounds} rounds (+{warmup} warm-up, not counted) ==")
    where = "a network of its own" if settings else "the default bridge"
    print(f"a = WorkSpace POST → healthy on the WebSocket; b = docker run on {where} → first 200")
    print("pre = → Docker `start` event; boot = → listening log line; det = → usable; ms")
    print("round      a      b   a/b │ a: pre  boot   det │ b: pre  boot   det │ boot-neutral a/b")
    a_samples: list[Sample] = []
    b_samples: list[Sample] = []
    tag = image.split("/")[-1].split(":")[0]
    for i in range(-warmup, rounds):
        order = ("a", "b") if i % 2 == 0 else ("b", "a")
        results: dict[str, Sample] = {}
        for which in order:
            await settle()
            if which == "a":
                name = f"spawn-{tag}-{i + warmup}-{secrets.token_hex(3)}"
                results["a"] = await workspace_round(http, feed, docker, events, image, name)
            elif settings is None:
                results["b"] = await reference_round(docker, events, image, None)
            else:
                async with own_network(docker, settings) as network:
                    results["b"] = await reference_round(docker, events, image, network)
            await asyncio.sleep(0.5)  # let the removal's I/O settle before the next start
        a, b = results["a"], results["b"]
        label = "warm" if i < 0 else f"{i + 1:5d}"
        line = (
            f"{label:>5} {_ms(a.total_ns)} {_ms(b.total_ns)} {a.total_ns / b.total_ns:5.2f}"
            f" │ {_ms(a.pre_ns, 5)} {_ms(a.boot_ns, 5)} {_ms(a.detect_ns, 5)}"
            f" │ {_ms(b.pre_ns, 5)} {_ms(b.boot_ns, 5)} {_ms(b.detect_ns, 5)} │"
        )
        if a.boot_ns and b.boot_ns:
            line += f" {neutral(a, b):5.3f}"
        print(line, flush=True)
        if i >= 0:
            a_samples.append(a)
            b_samples.append(b)

    def med(samples: list[Sample], attr: str) -> float:
        return median([float(getattr(x, attr)) for x in samples])

    ma, mb = med(a_samples, "total_ns"), med(b_samples, "total_ns")
    paired = median([x.total_ns / y.total_ns for x, y in zip(a_samples, b_samples, strict=True)])
    print(
        f"median {_ms(ma)} {_ms(mb)} {ma / mb:5.3f}"
        f" │ {_ms(med(a_samples, 'pre_ns'), 5)} {_ms(med(a_samples, 'boot_ns'), 5)}"
        f" {_ms(med(a_samples, 'detect_ns'), 5)}"
        f" │ {_ms(med(b_samples, 'pre_ns'), 5)} {_ms(med(b_samples, 'boot_ns'), 5)}"
        f" {_ms(med(b_samples, 'detect_ns'), 5)} │"
    )
    pairs = [(x, y) for x, y in zip(a_samples, b_samples, strict=True) if x.boot_ns and y.boot_ns]
    boot_neutral = median([neutral(x, y) for x, y in pairs]) if pairs else None
    print(
        f"ratio median(a)/median(b) = {ma / mb:.3f} (median of per-round ratios {paired:.3f});"
        + (f" boot-neutral {boot_neutral:.3f}" if boot_neutral is not None else "")
        + "; target ≤ 1.05"
    )
    overhead = [(x.pre_ns - y.pre_ns) + (x.detect_ns - y.detect_ns) for x, y in pairs] or [
        x.total_ns - y.total_ns for x, y in zip(a_samples, b_samples, strict=True)
    ]
    extra = median([float(o) for o in overhead])
    print(f"WorkSpace's own time per spawn (median a - b, boot excluded): {_ms(extra, 1)} ms")

    def stage(key: str) -> float:
        return median([float(x.stages.get(key, 0)) for x in a_samples])

    print(
        f"a before `start` (medians since POST): 202 at {_ms(stage('202'), 1)} ms, `creating` "
        f"(job picked up) at {_ms(stage('creating'), 1)} ms, `starting` (volume + container "
        f"created) at {_ms(stage('starting'), 1)} ms, Docker `start` at "
        f"{_ms(med(a_samples, 'pre_ns'), 1)} ms"
    )
    return ma, mb, boot_neutral


async def main(images: list[str], rounds: int, warmup: int, worker: str, reference: str) -> None:
    settings_path = WORKERS.get(worker, worker)
    limit = max(NOTEBOOK_CPUS, Settings.model_fields["notebook_max_cpus"].default)
    async with running_stack("nb", worker=settings_path, notebook_max_cpus=limit) as stack:
        print(f"api {stack.base_url}, worker {settings_path}, instance {stack.settings.instance}")
        networks = stack.settings if reference == "own-network" else None
        print(f"load average at start {load_average()}")
        token = await stack.token("bench")
        feed = await open_feed(stack.port, token)
        redis = Redis.from_url(stack.settings.redis_url, decode_responses=True)

        async def settle() -> None:
            await spares_made(redis, stack.settings)

        docker = aiodocker.Docker()
        events = DockerEvents(docker, ["start"], stack.settings.instance)
        try:
            async with stack.client(token) as http:
                summary = [
                    (
                        image,
                        *await bench_image(
                            http, feed, docker, events, image, rounds, warmup, networks, settle
                        ),
                    )
                    for image in images
                ]
        finally:
            feed.close()
            await redis.aclose()
            await events.close()
            await docker.close()
    print(f"\nload average at the end {load_average()}")
    print("summary (medians)")
    for image, ma, mb, boot_neutral in summary:
        extra = f", boot-neutral {boot_neutral:.3f}" if boot_neutral is not None else ""
        print(f"  {image:26s} a {_ms(ma)} ms  b {_ms(mb)} ms  ratio {ma / mb:.3f}{extra}")


def cli() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--image",
        action="append",
        help=f"image to spawn (repeatable; default {JUPYTER_IMAGE}; e.g. workspace/testnb:latest)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first, not counted")
    parser.add_argument(
        "--worker",
        default="default",
        help="arq worker settings: default (the product's), fast-poll (arq polls every "
        "10 ms instead of 50 ms), or a dotted path",
    )
    parser.add_argument(
        "--runtime",
        choices=["docker", "swarm"],
        default="docker",
        help="swarm: WorkSpace on a test swarm against a bare `docker service create` and "
        "WorkSpace on one engine, in one run (bench/spawn_swarm.py)",
    )
    parser.add_argument(
        "--reference",
        choices=["bridge", "own-network"],
        default="bridge",
        help="where b's container runs: Docker's default bridge (plain `docker run`), or a "
        "bridge network of its own made ahead, the isolation WorkSpace gives each notebook",
    )
    args = parser.parse_args()
    if args.rounds < 1 or args.warmup < 0:
        parser.error("--rounds must be at least 1, --warmup at least 0")
    images = args.image or [JUPYTER_IMAGE]
    try:
        if args.runtime == "swarm":
            from bench import spawn_swarm

            uvloop.run(spawn_swarm.main(images, args.rounds, args.warmup))
        else:
            uvloop.run(main(images, args.rounds, args.warmup, args.worker, args.reference))
    except (KeyboardInterrupt, asyncio.CancelledError):
        sys.exit("interrupted (processes stopped, containers and database removed)")


if __name__ == "__main__":
    cli()
