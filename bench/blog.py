"""How fast is the public blog, against the same HTML served as static files?

    .venv/bin/python -m bench.blog

In one run, on one uvicorn process (`bench.blog:create_app`: the real app, plus Starlette's
StaticFiles at /static-bench serving a copy of the pages it rendered):

1. a post page `/blog/{slug}` and the index `/blog`, each against its static copy: 50
   concurrent keep-alive clients, BENCH_REQUESTS requests per target (default 3,000),
   targets interleaved over 3 rounds; requests/s, p50 and p99, and the ratio of the page's
   throughput to the file's (target: at least 0.5);
2. rendering a 20,000-word post with 100 code blocks (the renderer in-process): p50 of 15;
3. the Atom feed over 1,000 posts (`blog_feed_size=1000`): p50 of 30 sequential requests.

PostgreSQL and Redis: the bench's own (bench/_stack.py), the database created, migrated and
filled at start and dropped at the end.
The load generator is a bare HTTP/1.1 client on asyncio (httpx would cost more CPU than the
server it measures, on the same 2 cores).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx
from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.main import create_app as create_workspace_app
from app.models.post import PostCreate, PostStatus
from app.services.accounts import users
from app.services.blog import posts
from app.services.blog.renderer import parse, render
from bench._stack import bench_settings
from bench._stats import load_average, median, percentile
from tests.support.processes import Service, free_port, process_env, wait_http

REQUESTS = max(200, min(int(os.environ.get("BENCH_REQUESTS", "3000")), 50_000))
CLIENTS = 50
ROUNDS = 3
POSTS = 1000
STATIC_ENV = "WORKSPACE_BENCH_STATIC_DIR"


def create_app() -> FastAPI:
    """The real app with the reference beside it (uvicorn --factory bench.blog:create_app)."""
    app = create_workspace_app()
    app.mount("/static-bench", StaticFiles(directory=os.environ[STATIC_ENV]), name="static-bench")
    # Mounted last, so the dashboard's catch-all route must not shadow it: put it first.
    app.router.routes.insert(0, app.router.routes.pop())
    return app


def article(words: int, code_blocks: int) -> str:
    """Markdown of about `words` words with `code_blocks` Python blocks spread through it."""
    rng = random.Random(7)
    vocabulary = ["the", "data", "notebook", "query", "index", "latency", "cache", "worker"]
    per_block = max(1, words // (code_blocks + 1))
    parts: list[str] = []
    for i in range(code_blocks + 1):
        sentence = " ".join(rng.choice(vocabulary) for _ in range(per_block))
        parts.append(f"## Part {i}\n\n{sentence.capitalize()}, with *emphasis* and `code`.")
        if i < code_blocks:
            parts.append(f"```python\ndef step_{i}(rows):\n    return [r * {i} for r in rows]\n```")
    return "\n\n".join(parts)


async def seed(settings: Settings) -> str:
    """1,000 published posts of a user; the slug of a typical one (about 1,200 words)."""
    engine = make_engine(settings.sqlalchemy_url)
    maker = make_sessionmaker(engine)
    async with maker() as db:
        user = await users.create_user(db, "bench", "bench-password-123")
    body = article(1200, 6)
    slug = ""
    async with maker() as db:
        for n in range(POSTS):
            post = await posts.add_post(
                db,
                settings,
                user,
                PostCreate(
                    title=f"Post number {n}",
                    body=body if n == POSTS - 1 else f"Short post {n}.\n\n{body[:400]}",
                    tags=["bench", f"t{n % 10}"],
                    status=PostStatus.published,
                ),
            )
            slug = post.slug
            if n % 100 == 99:
                await db.commit()
        await db.commit()
    await engine.dispose()
    return slug


async def _client(host: str, port: int, path: str, count: int, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    try:
        for _ in range(count):
            start = time.perf_counter()
            writer.write(request)
            length = -1
            status = b""
            while True:
                line = await reader.readline()
                if not status:
                    status = line
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if not status.startswith(b"HTTP/1.1 200") or length < 0:
                raise RuntimeError(f"{path}: {status!r}")
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
    finally:
        writer.close()


async def load(port: int, path: str) -> dict[str, float]:
    latencies: list[float] = []
    per_client = REQUESTS // CLIENTS
    start = time.perf_counter()
    await asyncio.gather(
        *(_client("127.0.0.1", port, path, per_client, latencies) for _ in range(CLIENTS))
    )
    elapsed = time.perf_counter() - start
    return {
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50) * 1000,
        "p99": percentile(latencies, 99) * 1000,
    }


def _merge(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: median([r[k] for r in runs]) for k in runs[0]}


async def main() -> None:
    async with bench_settings("blog", blog_feed_size=POSTS) as settings:
        with tempfile.TemporaryDirectory(prefix="bench-blog-") as static:
            await run(settings, Path(static))


async def run(settings: Settings, static: Path) -> None:
    api: Service | None = None
    try:
        slug = await seed(settings)
        port = free_port()
        env = process_env(settings) | {STATIC_ENV: str(static)}
        # Not `workspace serve`: the app is this module's, with the static copy mounted.
        args = [sys.executable, "-m", "uvicorn", "--factory", "bench.blog:create_app",
                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
        api = Service("api", args, env)
        await api.start()
        base = f"http://127.0.0.1:{port}"
        await wait_http(f"{base}/api/health")
        pages = {"post": f"/blog/{slug}", "index": "/blog"}
        async with httpx.AsyncClient(base_url=base) as client:
            for name, path in pages.items():
                (static / f"{name}.html").write_bytes((await client.get(path)).content)
            feed_times = []
            for _ in range(30):
                start = time.perf_counter()
                r = await client.get("/blog/feed.xml")
                feed_times.append(time.perf_counter() - start)
                assert r.status_code == 200 and r.text.count("<entry>") == POSTS
        print(f"load average before: {load_average()}")
        targets = {f"{n} {kind}": p for n, path in pages.items() for kind, p in
                   (("page", path), ("static", f"/static-bench/{n}.html"))}  # fmt: skip
        for path in targets.values():  # warm up
            await load(port, path)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, path in targets.items():
                results[name].append(await load(port, path))
        merged = {name: _merge(runs) for name, runs in results.items()}
        print(f"{CLIENTS} clients, {REQUESTS} requests per target and round, {ROUNDS} rounds")
        for name, m in merged.items():
            print(
                f"  {name:13} {m['rps']:8.0f} req/s  p50 {m['p50']:6.1f} ms  p99 {m['p99']:6.1f} ms"
            )
        for n in pages:
            ratio = merged[f"{n} page"]["rps"] / merged[f"{n} static"]["rps"]
            verdict = "meets" if ratio >= 0.5 else "MISSES"
            print(f"  {n}: page/static throughput {ratio:.2f}x ({verdict} the 0.5x target)")
        big = article(20_000, 100)
        render_times = []
        for _ in range(15):
            start = time.perf_counter()
            render(parse(big), own_host="127.0.0.1")
            render_times.append(time.perf_counter() - start)
        print(f"render 20,000 words, 100 code blocks: p50 {median(render_times) * 1000:.0f} ms")
        print(f"feed of {POSTS} posts: p50 {median(feed_times) * 1000:.0f} ms "
              f"({len(r.content) // 1024} KiB)")  # fmt: skip
        print(f"load average after: {load_average()}")
    finally:
        if api is not None:
            await api.stop()


if __name__ == "__main__":
    asyncio.run(main())
