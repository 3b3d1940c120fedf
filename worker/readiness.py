"""Readiness: a notebook is usable when Jupyter answers, not when its container runs.

Polled tightly right after start, so `healthy` is reported within milliseconds of the
server answering instead of at the next tick of Docker's health-check interval.
"""

from __future__ import annotations

import asyncio
import time

import httpx


def status_url(host: str, port: int, base_url: str) -> str:
    return f"http://{host}:{port}{base_url}api/status"


async def wait_until_ready(
    client: httpx.AsyncClient,
    url: str,
    token: str,
    *,
    within: float,
) -> bool:
    """Poll Jupyter's status endpoint until it answers 200; False on timeout."""
    deadline = time.monotonic() + within
    delay = 0.01
    while time.monotonic() < deadline:
        try:
            response = await client.get(
                url, headers={"Authorization": f"token {token}"}, timeout=2.0
            )
            if response.status_code == 200:
                return True
        except httpx.TransportError:
            pass  # not listening yet
        await asyncio.sleep(delay)
        delay = min(delay * 1.5, 0.1)
    return False
