"""The arq job queue shared by the api (which enqueues) and the worker (which runs jobs)."""

from __future__ import annotations

import json
import logging
from typing import Any

from arq import ArqRedis
from arq.connections import RedisSettings
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

CONVERGE_NOTEBOOK = "converge_notebook"
log = logging.getLogger(__name__)


def serialize(obj: dict[str, Any]) -> bytes:
    # JSON, not pickle: a job payload must never be able to run code in the worker.
    return json.dumps(obj, default=repr).encode()  # results may hold an exception


def deserialize(data: bytes) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(data)
    return result


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)


def make_queue(url: str) -> ArqRedis:
    """The api's handle on the queue. It connects on first use, not here, so the api starts
    (and reports itself unready) while Redis is down."""
    return ArqRedis(
        ConnectionPool.from_url(url), job_serializer=serialize, job_deserializer=deserialize
    )


async def enqueue_converge(
    queue: ArqRedis, notebook_id: int, generation: int, *, source: str = "api"
) -> None:
    """One job per (notebook, generation, source): arq drops a duplicate id.

    Each change of desired state bumps the generation, so it always gets a job; reconcile
    passes its own `source` (with a time bucket) so it can re-drive a notebook whose job for
    that generation already ran.

    It follows a committed change, so it never fails it: without Redis, the worker's
    periodic reconcile finds the notebook away from its desired state and drives it.
    """
    try:
        await queue.enqueue_job(
            CONVERGE_NOTEBOOK, notebook_id, _job_id=f"converge:{notebook_id}:{generation}:{source}"
        )
    except (RedisError, OSError):
        log.warning("could not enqueue notebook %d; reconcile will", notebook_id, exc_info=True)


FORGET_NOTEBOOK = "forget_notebook"


async def enqueue_forget(queue: ArqRedis, notebook_id: int, *, remove_volume: bool) -> None:
    """Remove the container (and the volume, when asked) of a notebook whose row is gone,
    as when its owner is deleted."""
    await queue.enqueue_job(
        FORGET_NOTEBOOK, notebook_id, remove_volume, _job_id=f"forget:{notebook_id}"
    )
