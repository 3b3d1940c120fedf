"""A notebook's overlay network under Swarm, and the containers that reach notebooks over it.

The api's and the worker's containers carry `workspace.reach=<instance>`; each joins every
notebook network of its instance as the network is made (and again after a restart).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiodocker

from worker.runtime.swarm_spec import LABEL_REACH


async def ensure(docker: aiodocker.Docker, spec: dict[str, Any]) -> None:
    """Create the network of `spec`; one that a repeated job made already is kept."""
    try:
        await docker.networks.create(spec)
    except aiodocker.DockerError as exc:
        if exc.status != 409:
            raise


async def _reachers(docker: aiodocker.Docker, instance: str) -> list[str]:
    filters = json.dumps({"label": [f"{LABEL_REACH}={instance}"]})
    return [c.id for c in await docker.containers.list(filters=filters)]


async def join(docker: aiodocker.Docker, instance: str, network: str) -> None:
    """Connect every container that reaches `instance`'s notebooks to `network`."""
    target = aiodocker.networks.DockerNetwork(docker, network)
    for container_id in await _reachers(docker, instance):
        try:
            await target.connect({"Container": container_id})
        except aiodocker.DockerError as exc:
            if exc.status not in (403, 409) or "already" not in str(exc.message):
                raise  # anything but "already attached"


async def leave(docker: aiodocker.Docker, instance: str, network: str) -> None:
    target = aiodocker.networks.DockerNetwork(docker, network)
    for container_id in await _reachers(docker, instance):
        with contextlib.suppress(aiodocker.DockerError):
            await target.disconnect({"Container": container_id, "Force": True})


@contextlib.contextmanager
def unless_gone() -> Iterator[None]:
    """Removing what is already gone is done: a 404 from the engine is not an error."""
    try:
        yield
    except aiodocker.DockerError as exc:
        if exc.status != 404:
            raise


async def delete(docker: aiodocker.Docker, name: str) -> None:
    with unless_gone():
        await aiodocker.networks.DockerNetwork(docker, name).delete()


async def retry_in_use(action: Callable[[], Awaitable[None]], within: float = 30.0) -> None:
    """A network or volume stays in use until the removed tasks' containers are gone on
    their node, which Swarm does shortly after the service goes."""
    deadline = time.monotonic() + within
    while True:
        try:
            await action()
            return
        except aiodocker.DockerError as exc:
            in_use = exc.status in (403, 409) or "in use" in str(exc.message)
            if not in_use or time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.2)
