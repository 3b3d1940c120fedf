"""The real JupyterLab image: a kernel computes `1+1` through Jupyter's REST and WebSocket API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from app.core.db import make_engine, make_sessionmaker
from app.models.notebook import Notebook
from tests.support.environment import JUPYTER_IMAGE
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack
from workspace.client import AsyncKernel


async def test_kernel_computes_through_jupyters_own_api(
    stack: Stack, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    r = await alice.post(
        "/api/notebooks", json={"name": "real", "image": JUPYTER_IMAGE, "memory_mb": 512, "cpus": 1}
    )
    nb = r.json()["id"]
    await feed.wait_status(nb, "healthy", timeout=120)

    engine = make_engine(stack.settings.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        row = await db.get(Notebook, nb)
        assert row is not None and row.host_port
        port, token = row.host_port, row.jupyter_token
    await engine.dispose()

    base = f"http://127.0.0.1:{port}/"  # the root: the notebook has an origin of its own
    headers = {"Authorization": f"token {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as jupyter:
        assert (await jupyter.get("api/status")).status_code == 200
        kernel = (await jupyter.post("api/kernels", json={"name": "python3"})).json()
        url = f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels"
        async with await AsyncKernel.connect(url, headers) as channels:
            out = await channels.execute("1+1")
            assert out.ok and out.result == "2", out
        assert (await jupyter.delete(f"api/kernels/{kernel['id']}")).status_code == 204
