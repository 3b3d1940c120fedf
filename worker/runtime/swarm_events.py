"""Swarm's events, as the units' events the watcher records.

Two sources, merged into one stream:
- The manager's own event stream: the containers of tasks on the manager (start, health,
  oom, die: at once) and services removed outside WorkSpace.
- Task states, polled every few seconds: a manager reports no container events of other
  nodes and Swarm has no task events, so for tasks elsewhere `start` and `die` come from
  here (a task `running`, a task ended with its exit code).
Both may report the same thing; each statement moves a row at most once, so repeats do
nothing. A new api or worker container (a `workspace.reach` one starting) is joined to the
running notebooks' networks at once, rather than at the next reconcile.
A container's `destroy` means nothing here: Swarm removes old tasks' containers on its own;
a notebook is gone when its service is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import TYPE_CHECKING, Any

import aiodocker

from worker.runtime.base import DESTROY, DIE, HEALTHY, OOM, START, UNHEALTHY, RuntimeEvent
from worker.runtime.swarm_spec import LABEL_REACH, LABEL_RUN
from worker.spec import LABEL_INSTANCE, LABEL_KEY

if TYPE_CHECKING:
    from worker.runtime.swarm import SwarmRuntime

log = logging.getLogger(__name__)

CONTAINER_ACTIONS = {START, HEALTHY, UNHEALTHY, OOM, DIE}
POLL_SECONDS = 2.0
# Task states after which its container no longer runs.
ENDED = frozenset({"complete", "failed", "shutdown", "rejected", "orphaned", "remove"})


class Subscription:
    def __init__(self, runtime: SwarmRuntime, poll_seconds: float = POLL_SECONDS) -> None:
        self.runtime = runtime
        self.poll_seconds = poll_seconds
        self.queue: asyncio.Queue[RuntimeEvent | BaseException | None] = asyncio.Queue()
        self.tasks: list[asyncio.Task[None]] = []
        # service id → (notebook key, run token), and run token → last task state seen
        self.services: dict[str, tuple[str, str]] = {}
        self.states: dict[str, str] = {}
        self.reaching: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> Subscription:
        docker = self.runtime.docker
        filters = {
            "type": ["container", "service"],
            "event": ["start", "health_status", "oom", "die", "create", "update", "remove"],
        }
        subscriber = docker.events.subscribe(filters=json.dumps(filters))
        await self._poll_once(emit=False)
        self.tasks = [
            asyncio.create_task(self._guard(self._pump(subscriber))),
            asyncio.create_task(self._guard(self._poll())),
        ]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in [*self.tasks, *self.reaching]:
            task.cancel()
        for task in [*self.tasks, *self.reaching]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        docker = self.runtime.docker
        await docker.events.stop()
        docker.events.task = None

    async def get(self) -> RuntimeEvent | None:
        item = await self.queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    async def _guard(self, work: Any) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the watcher reconnects on it
            await self.queue.put(exc)

    async def _pump(self, subscriber: Any) -> None:
        while True:
            event = await subscriber.get()
            if event is None:
                await self.queue.put(None)
                return
            if event.get("Type") == "service" and event.get("Action") in ("create", "update"):
                await self._learn(str((event.get("Actor") or {}).get("ID") or ""))
                continue
            if self._is_reacher_start(event):
                self._reach()
                continue
            mapped = self._map(event)
            if mapped is not None:
                await self.queue.put(mapped)

    def _is_reacher_start(self, event: dict[str, Any]) -> bool:
        attributes = (event.get("Actor") or {}).get("Attributes") or {}
        return (
            event.get("Type") == "container"
            and event.get("Action") == START
            and attributes.get(LABEL_REACH) == self.runtime.options.instance
        )

    def _reach(self) -> None:
        """Join the notebooks' networks beside the stream, which must not wait for it."""
        task = asyncio.create_task(self._reach_all())
        self.reaching.add(task)
        task.add_done_callback(self.reaching.discard)

    async def _reach_all(self) -> None:
        try:
            await self.runtime.reach_all()
        except aiodocker.DockerError as exc:  # the next reconcile joins them
            log.warning("joining a new api or worker container to notebooks failed: %s", exc)

    async def _learn(self, service_id: str) -> None:
        """Remember which notebook and run a service is, for when it is removed."""
        try:
            service = await self.runtime.docker.services.inspect(service_id)
        except aiodocker.DockerError:
            return  # gone already
        known = _identity(service, self.runtime.options.instance)
        if known is not None:
            self.services[service_id] = known

    def _map(self, event: dict[str, Any]) -> RuntimeEvent | None:
        action = str(event.get("Action") or event.get("status") or "")
        actor = event.get("Actor") or {}
        attributes = actor.get("Attributes") or {}
        if event.get("Type") == "service":
            known = self.services.get(str(actor.get("ID") or ""))
            if action == "remove" and known is not None:
                return RuntimeEvent(DESTROY, known[0], known[1])
            return None
        ours = attributes.get(LABEL_INSTANCE) == self.runtime.options.instance
        key, run = str(attributes.get(LABEL_KEY, "")), attributes.get(LABEL_RUN)
        if not ours or not key or not run or action not in CONTAINER_ACTIONS:
            return None
        return RuntimeEvent(action, key, str(run), str(attributes.get("exitCode", "?")))

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            await self._poll_once(emit=True)

    async def _poll_once(self, *, emit: bool) -> None:
        services = await self.runtime.objects.services(self.runtime.label_filter)
        tasks = await self.runtime.objects.tasks() if services else []
        current: dict[str, tuple[str, str]] = {}
        runs: set[str] = set()
        for service in services:
            known = _identity(service, self.runtime.options.instance)
            if known is not None:
                current[service["ID"]] = known
        for task in tasks:
            known = current.get(str(task.get("ServiceID")))
            labels = ((task.get("Spec") or {}).get("ContainerSpec") or {}).get("Labels") or {}
            run = str(labels.get(LABEL_RUN, ""))
            if known is None or not run:
                continue
            runs.add(run)
            state = str((task.get("Status") or {}).get("State"))
            before, self.states[run] = self.states.get(run), state
            if not emit or before == state:
                continue
            if state == "running":
                await self.queue.put(RuntimeEvent(START, known[0], run))
            elif state in ENDED and before not in ENDED:
                code = (task["Status"].get("ContainerStatus") or {}).get("ExitCode", "?")
                await self.queue.put(RuntimeEvent(DIE, known[0], run, str(code)))
        for service_id, (gone_id, gone_run) in self.services.items():
            if emit and service_id not in current:
                await self.queue.put(RuntimeEvent(DESTROY, gone_id, gone_run))
        self.services = current
        self.states = {run: state for run, state in self.states.items() if run in runs}


def _identity(service: Any, instance: str) -> tuple[str, str] | None:
    """(notebook key, run token) of one of our services, or None."""
    spec = service["Spec"]
    labels = spec.get("Labels") or {}
    if labels.get(LABEL_INSTANCE) != instance:
        return None
    key = str(labels.get(LABEL_KEY, ""))
    run = str((spec["TaskTemplate"]["ContainerSpec"].get("Labels") or {}).get(LABEL_RUN, ""))
    return (key, run) if key and run else None
