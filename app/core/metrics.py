"""Prometheus metrics (`workspace_…`), shared by the api processes and the worker.

Several processes write them: uvicorn runs several api processes and the worker is its own.
With PROMETHEUS_MULTIPROC_DIR set (scripts/run.sh sets it and empties it at each start),
each process writes its samples to files there and a scrape adds them up; without it (one
process, the tests' in-process app) they live in this process's default registry. The
notebook counts and the queue depth are read at scrape time instead, from the database and
Redis, so they are right whichever process answers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_LATEST
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_SLOW = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)

# Where a request's route label is put when no route of the app's answers it (the
# notebook proxy's requests): the metrics middleware then looks no further.
ROUTE_LABEL = "workspace.route_label"
NOTEBOOK_ROUTE = "notebook origin"
REQUEST_SECONDS = Histogram(
    "workspace_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ["method", "route", "status"],
    buckets=_FAST,
)
SPAWN_PHASE_SECONDS = Histogram(
    "workspace_spawn_phase_seconds",
    "Time of each phase of a notebook's start: create (volume and container), start "
    "(Docker's start), ready (from started until Jupyter answers).",
    ["phase"],
    buckets=_SLOW,
)
WEBSOCKET_CLIENTS = Gauge(
    "workspace_websocket_clients",
    "Open live-feed WebSockets, over all api processes.",
    multiprocess_mode="livesum",
)
JOB_SECONDS = Histogram(
    "workspace_job_duration_seconds",
    "Time of a worker job, by function and outcome.",
    ["function", "outcome"],
    buckets=_SLOW,
)
EVENT_PUBLISH_SECONDS = Histogram(
    "workspace_docker_event_publish_seconds",
    "From a Docker event's own timestamp until its status change is published.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


class _Snapshot(Collector):
    """Values read at scrape time, as gauges."""

    def __init__(self, families: Iterable[GaugeMetricFamily]) -> None:
        self._families = list(families)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._families


def snapshot_gauges(
    notebooks_by_status: dict[str, int], queue_depth: int
) -> list[GaugeMetricFamily]:
    notebooks = GaugeMetricFamily(
        "workspace_notebooks", "Notebooks by status (deleted ones excluded).", labels=["status"]
    )
    for status, count in sorted(notebooks_by_status.items()):
        notebooks.add_metric([status], count)
    queue = GaugeMetricFamily("workspace_queue_depth", "Jobs waiting in the worker's queue.")
    queue.add_metric([], queue_depth)
    return [notebooks, queue]


def _process_registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def render(extra: Iterable[GaugeMetricFamily] = ()) -> bytes:
    """The text exposition of every process's metrics, then `extra`."""
    text = generate_latest(_process_registry())
    snapshot = CollectorRegistry()
    snapshot.register(_Snapshot(extra))
    return text + generate_latest(snapshot)


def process_exited(pid: int) -> None:
    """Drop a finished process's live gauges (its WebSocket count)."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
