"""The Swarm side of bench/notebook_spawn.py: the reference, a bare `docker service create`.

What a script would do without WorkSpace to get the same thing: an attachable overlay of the
notebook's own, a one-replica service of the image on it (endpoint mode dnsrr, no published
port), and a client on that overlay polling Jupyter's status every 5 ms at the task's
address until it answers 200 (the service's name resolves only once Swarm counts the task
running: after its first health check). The client is a container on the manager that stays
for the whole run, joined to each round's network as WorkSpace's worker is. Its polling loop
is started before the round's clock starts and given the address the moment the task has
one, so `docker exec`'s own start-up is not counted; it reports the wall-clock time of the
first 200 (the host's clock: one kernel). The network's creation is counted, as it is in
WorkSpace's time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from typing import Any

import aiodocker

from bench._stack import instance_name

# The bare services' own instance name: removed with the swarm, apart from WorkSpace's.
INSTANCE = instance_name("swarmraw")

REFERENCE_LABEL = "wsbench.reference"
POLL = """
import sys, time, urllib.request
token, timeout = sys.argv[1], float(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
print("ready", flush=True)
url = sys.stdin.readline().strip()  # given as soon as the task has an address
request = urllib.request.Request(url, headers={"Authorization": "token " + token})
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        if opener.open(request, timeout=2).status == 200:
            print(time.time_ns(), flush=True)
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.005)
sys.exit(1)
"""


async def start_prober(docker: aiodocker.Docker, image: str) -> str:
    container = await docker.containers.run(
        {
            "Image": image,
            "Entrypoint": ["python3", "-c", "import time; time.sleep(10**6)"],
            "Labels": {"workspace.instance": INSTANCE, REFERENCE_LABEL: "prober"},
            "Healthcheck": {"Test": ["NONE"]},
        },
        name=f"{INSTANCE}-prober-{secrets.token_hex(3)}",
    )
    return str(container.id)


async def _poller(url: str, prober: str, token: str, timeout: float) -> asyncio.subprocess.Process:
    """A polling loop in the prober, started and waiting for its URL on standard input."""
    process = await asyncio.create_subprocess_exec(
        "docker", "-H", url, "exec", "-i", prober, "python3", "-c", POLL, token, str(timeout),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    if (await process.stdout.readline()).strip() != b"ready":
        raise RuntimeError("the prober did not start")
    return process


async def _first_200(process: asyncio.subprocess.Process, target: str, timeout: float) -> int:
    assert process.stdin is not None
    process.stdin.write(f"{target}\n".encode())
    await process.stdin.drain()
    out, err = await process.communicate()
    if process.returncode != 0:
        raise TimeoutError(f"{target} did not answer 200 within {timeout:.0f} s: {err.decode()}")
    return int(out.decode().split()[-1])


async def _task_address(docker: aiodocker.Docker, name: str) -> str:
    while True:
        for task in await docker.tasks.list(filters={"service": name}):
            for attachment in task.get("NetworksAttachments") or []:
                if attachment["Network"]["Spec"]["Name"] == name and attachment.get("Addresses"):
                    return str(attachment["Addresses"][0]).split("/")[0]
        await asyncio.sleep(0.005)


async def raw_service_round(
    docker: aiodocker.Docker, url: str, prober: str, image: str, timeout: float
) -> int:
    """One bare spawn: ns from the first API call to Jupyter's first 200 over the overlay."""
    name = f"{INSTANCE}-raw-{secrets.token_hex(4)}"
    token = secrets.token_hex(32)
    labels = {"workspace.instance": INSTANCE, REFERENCE_LABEL: "1"}
    service: dict[str, Any] = {
        "Name": name,
        "Labels": labels,
        "TaskTemplate": {
            "ContainerSpec": {
                "Image": image,
                "Env": [f"JUPYTER_TOKEN={token}", "JUPYTER_BASE_URL=/x/"],
                "Labels": labels,
            },
            "RestartPolicy": {"Condition": "none"},
            "Networks": [{"Target": name, "Aliases": [name]}],
        },
        "Mode": {"Replicated": {"Replicas": 1}},
        "EndpointSpec": {"Mode": "dnsrr"},
    }
    poller = await _poller(url, prober, token, timeout)
    t0 = time.time_ns()
    network = await docker.networks.create(
        {"Name": name, "Driver": "overlay", "Attachable": True, "Labels": labels}
    )
    try:
        await network.connect({"Container": prober})
        await docker._query_json("services/create", "POST", data=json.dumps(service))
        address = await _task_address(docker, name)
        target = f"http://{address}:8888/x/api/status"
        return await _first_200(poller, target, timeout) - t0
    finally:
        if poller.returncode is None:
            poller.kill()
            await poller.wait()
        with contextlib.suppress(aiodocker.DockerError):
            await docker.services.delete(name)
        with contextlib.suppress(aiodocker.DockerError):
            await network.disconnect({"Container": prober, "Force": True})
        for _ in range(100):  # the network is in use until the task's container is gone
            try:
                await network.delete()
                break
            except aiodocker.DockerError:
                await asyncio.sleep(0.2)
