"""Readiness: a notebook is usable when Jupyter answers, not when its container runs.

Polled tightly right after start, so `healthy` is reported within milliseconds of the
server answering instead of at the next tick of Docker's health-check interval: at most
20 ms apart, so `healthy` comes on average 10 ms after Jupyter could first answer.

Each poll is a bare HTTP/1.1 request on a fresh connection rather than an httpx call: while
Jupyter boots, Docker's port proxy accepts every connection and then drops it, and an
httpx attempt that fails that way costs several times the CPU of a bare one, CPU the
booting notebook needs. No proxy settings apply, which
is right for a container's own port.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import urlsplit

FIRST_DELAY = 0.005
MAX_DELAY = 0.02
ATTEMPT_TIMEOUT = 2.0


def status_url(host: str, port: int, base_url: str) -> str:
    return f"http://{host}:{port}{base_url}api/status"


async def status_code(url: str, token: str) -> int | None:
    """GET `url` (plain http) with Jupyter's token; the status code, or None when the
    server does not answer (refused, dropped, timed out)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    request = (
        f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: token {token}\r\nConnection: close\r\n\r\n"
    ).encode()
    try:
        async with asyncio.timeout(ATTEMPT_TIMEOUT):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(request)
                line = await reader.readline()  # b"HTTP/1.1 200 OK\r\n", or b"" when dropped
            finally:
                writer.close()
                with contextlib.suppress(OSError):  # a dropped connection raises here too
                    await writer.wait_closed()
    except (OSError, TimeoutError):
        return None
    fields = line.split(None, 2)
    if len(fields) < 2 or not fields[0].startswith(b"HTTP/") or not fields[1].isdigit():
        return None
    return int(fields[1])


async def wait_until_ready(
    url: str,
    token: str,
    *,
    within: float,
) -> bool:
    """Poll Jupyter's status endpoint until it answers 200; False on timeout."""
    deadline = time.monotonic() + within
    delay = FIRST_DELAY
    while time.monotonic() < deadline:
        if await status_code(url, token) == 200:
            return True
        await asyncio.sleep(delay)
        delay = min(delay * 1.5, MAX_DELAY)
    return False
