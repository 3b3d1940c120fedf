"""Networks made ahead of the notebooks that will use them.

Making a bridge network is a good part of a notebook's first start on one engine (Docker
writes its iptables rules one command at a time). So the worker keeps
`notebook_spare_networks` of them made, each under a fresh key it offers in Redis
(app/services/notebooks/spare_keys.py); the api gives a new notebook one of those keys, and
its first start finds the network there, with a network holder running on it (on one
engine: `worker/runtime/docker.py`) whose namespace the container joins. Topping up runs
once a start is done, never beside it: both would queue on the same iptables lock.

A spare holds one of Docker's few address ranges, so when a start finds none left, it
gives a spare's back first (`give_back_one`). One whose network or holder went (Docker
restarted and stopped the holder, an operator pruned networks) is replaced at the next
top-up, at the latest with the minutely reconcile.
"""

from __future__ import annotations

import contextlib
import logging

import aiodocker
from redis.exceptions import LockError, RedisError

from app.core.notebook_origin import new_key
from app.services.notebooks import spare_keys
from worker.context import WorkerContext
from worker.spec import resource_name

log = logging.getLogger(__name__)
LOCK_SECONDS = 30


async def top_up(wc: WorkerContext) -> int:
    """Make spares until `notebook_spare_networks` are offered; how many were made. One
    worker at a time: another's top-up already under way is left to finish it. Never
    fails its caller: a spare missing only costs a later start its network."""
    instance = wc.settings.instance
    made = 0
    try:
        lock = wc.redis.lock(f"workspace:lock:spares:{instance}", timeout=LOCK_SECONDS)
        if not await lock.acquire(blocking=False):
            return 0
        try:
            offered = len(await replace_broken(wc))
            while offered + made < wc.settings.notebook_spare_networks:
                key = new_key()
                if not await wc.runtime.make_network(key):
                    break
                await spare_keys.offer(wc.redis, instance, key)
                made += 1
        finally:
            with contextlib.suppress(LockError):  # expired: nothing left to guard
                await lock.release()
    except (aiodocker.DockerError, RedisError) as exc:
        log.warning("no spare network made: %s", exc)
    return made


async def replace_broken(wc: WorkerContext) -> set[str]:
    """The keys still offered once those whose network or holder is gone (Docker restarted,
    an operator pruned) are withdrawn and their remains removed: top-up makes new ones."""
    instance = wc.settings.instance
    offered = await spare_keys.held(wc.redis, instance)
    for key in list(offered):
        if await wc.runtime.spare_ready(key):
            continue
        offered.discard(key)
        if await spare_keys.withdraw(wc.redis, instance, key):  # else a notebook has it now
            log.info("spare %s is broken: replaced", key)
            await wc.runtime.remove_unit(resource_name(wc.settings, key))
    return offered


async def give_back_one(wc: WorkerContext) -> bool:
    """Remove one spare network, so a notebook that needs an address range gets its own;
    False when there is none to give."""
    key = await spare_keys.take(wc.redis, wc.settings.instance)
    if key is None:
        return False
    await wc.runtime.remove_unit(resource_name(wc.settings, key))
    return True
