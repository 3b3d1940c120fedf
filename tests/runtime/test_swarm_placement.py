"""Placement on a two-node swarm: the second node is a daemon in a network namespace of its
own, joined to the test swarm (tests/support/swarm_engine.py)."""

from __future__ import annotations

import aiodocker

from tests.runtime.swarm_helpers import (
    make_notebook,
    make_runtime,
    next_event,
    running_task_node,
    start_reacher,
    status_url,
    wait_answers,
)
from tests.support.swarm_engine import WORKER, SwarmEngine
from tests.support.swarm_fixtures import PLACEMENT_LABEL
from worker.runtime.base import DIE, START


async def test_a_notebook_lands_on_the_labelled_node_stays_there_and_reports_from_there(
    swarm: SwarmEngine, swarm_worker: str, swarm_docker: aiodocker.Docker
) -> None:
    runtime = make_runtime(swarm.url, swarm_placement=[f"node.labels.{PLACEMENT_LABEL} == yes"])
    node2 = aiodocker.Docker(url=WORKER.url)
    try:
        reacher = await start_reacher(swarm_docker)  # on the manager, as the api and worker
        nb = make_notebook()
        async with runtime.events() as stream:
            unit = await runtime.prepare(nb)
            await runtime.start(unit)
            assert await running_task_node(swarm_docker, unit.name) == swarm_worker
            # Over the overlay, from the manager to node2 (vxlan between the two daemons).
            endpoint = await runtime.endpoint(unit)
            assert endpoint is not None
            await wait_answers(swarm.url, reacher, status_url(endpoint, nb), nb.jupyter_token)
            # The manager sees no container events of node2: this comes from task states.
            await next_event(stream, START, unit.id)

            await runtime.stop(nb)
            again = await runtime.prepare(nb)
            spec = (await swarm_docker.services.inspect(unit.name))["Spec"]
            assert spec["TaskTemplate"]["Placement"]["Constraints"] == [
                f"node.id == {swarm_worker}"
            ]
            await runtime.start(again)
            assert await running_task_node(swarm_docker, unit.name) == swarm_worker

            (container,) = await node2.containers.list(
                filters='{"label": ["com.docker.swarm.service.name=' + unit.name + '"]}'
            )
            await container.kill()
            died = await next_event(stream, DIE, again.id)
            assert died.exit_code == "137"
    finally:
        await node2.close()
        await runtime.close()
