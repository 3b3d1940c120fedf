"""/metrics without credentials on WORKSPACE_METRICS_ADDRESS (`host:port`), served by the
worker: for a Prometheus on a private network that holds no admin token. Bind it to an
address only that network reaches; the api's /metrics wants an admin."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from app.core.metrics import CONTENT_TYPE
from app.services.admin.metrics import scrape
from worker.context import WorkerContext

log = logging.getLogger(__name__)


async def serve(wc: WorkerContext, address: str) -> asyncio.Server:
    host, _, port = address.rpartition(":")

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readline(), 5)
            while (await asyncio.wait_for(reader.readline(), 5)) not in (b"\r\n", b"\n", b""):
                pass
            method, path = [*request.split(), b"", b""][:2]
            if method == b"GET" and path.split(b"?")[0] == b"/metrics":
                async with wc.sessionmaker() as db:
                    body = await scrape(db, wc.redis)
                head = f"HTTP/1.1 200 OK\r\nContent-Type: {CONTENT_TYPE}\r\n"
            else:
                body, head = (
                    b"not found\n",
                    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n",
                )
            writer.write(
                f"{head}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body
            )
            await writer.drain()
        except (TimeoutError, OSError):
            pass
        except Exception:
            log.warning("metrics request failed", exc_info=True)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    server = await asyncio.start_server(answer, host or "127.0.0.1", int(port))
    log.info("metrics on http://%s/metrics", address)
    return server
