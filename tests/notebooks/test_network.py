"""A notebook's network reaches no other notebook and none of WorkSpace's services.

Attacked from inside a real notebook container, as the notebook's user with the
container's own (dropped) capabilities: every address of the host it could try, every
port that matters, and the raw sockets it would need to forge packets to the host's
127.0.0.1 (where the api, Redis, PostgreSQL and every published notebook port listen).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiodocker
import pytest

from app.core.config import Settings
from tests.notebooks.inside import python_inside
from tests.notebooks.test_identity import healthy, the_only_container
from tests.notebooks.test_lifecycle import network_side
from tests.support.environment import INSTANCE, PG_ADMIN_URL, REDIS_TEST_URL
from tests.support.event_feed import EventFeed
from tests.support.stack import Stack

PROBE = """
import json, socket, sys
results = {}
for host, port in json.loads(sys.argv[1]):
    s = socket.socket()
    s.settimeout(3)
    try:
        s.connect((host, port))
        results[f"{host}:{port}"] = "open"
    except OSError as exc:
        results[f"{host}:{port}"] = type(exc).__name__
    finally:
        s.close()
for name, args in {"packet": (socket.AF_PACKET, socket.SOCK_RAW, 0x0800),
                   "raw": (socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)}.items():
    try:
        socket.socket(*args).close()
        results[name] = "open"
    except OSError as exc:
        results[name] = type(exc).__name__
print(json.dumps(results))
"""


def host_addresses() -> list[str]:
    """Every IPv4 address of this host (each bridge's gateway, the LAN's, loopback)."""
    out = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True)
    return sorted({line.split()[3].split("/")[0] for line in out.stdout.splitlines()})


async def probe(docker: aiodocker.Docker, container_id: str, targets: list[tuple[str, int]]) -> Any:
    code = PROBE.replace("sys.argv[1]", repr(json.dumps(targets)))
    return json.loads(await python_inside(docker, container_id, code))


def own_network(container: dict[str, Any], key: str) -> dict[str, Any]:
    network: dict[str, Any] = container["NetworkSettings"]["Networks"][f"{INSTANCE}-nb-{key}"]
    return network


async def test_a_notebook_reaches_no_other_notebook_and_no_workspace_service(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice, bob = await stack.user("alice"), await stack.user("bob")
    attacker = await healthy(alice, await feed_for(alice))
    victim = await healthy(bob, await feed_for(bob))
    inside = await the_only_container(docker, attacker["key"])
    # The addresses: the container's own, or its network holder's (worker/spec.py).
    inside_net = await network_side(docker, inside)
    target = await network_side(docker, await the_only_container(docker, victim["key"]))
    assert list(inside_net["NetworkSettings"]["Networks"]) == [f"{INSTANCE}-nb-{attacker['key']}"]
    victim_ip = own_network(target, victim["key"])["IPAddress"]
    victim_port = int(target["NetworkSettings"]["Ports"]["8888/tcp"][0]["HostPort"])
    services = {
        "api": urlsplit(stack.base_url).port,
        "redis": urlsplit(REDIS_TEST_URL).port,
        "postgresql": urlsplit(PG_ADMIN_URL).port,
        "another notebook's published port": victim_port,
    }
    addresses = [*host_addresses(), own_network(inside_net, attacker["key"])["Gateway"]]
    targets = [(victim_ip, 8888)] + [
        (address, port) for address in addresses for port in services.values() if port
    ]
    results = await probe(docker, inside["Id"], [*targets, ("127.0.0.1", 8888)])

    assert results.pop("127.0.0.1:8888") == "open", "the probe reaches its own server"
    reached = sorted(where for where, outcome in results.items() if outcome == "open")
    assert reached == [], f"a notebook reached {reached} (services: {services})"


@pytest.fixture
def stack_settings(stack_settings: Settings, request: pytest.FixtureRequest) -> Settings:
    egress = getattr(request, "param", True)
    return stack_settings.model_copy(update={"notebook_egress": egress})


@pytest.mark.parametrize("stack_settings", [False], indirect=True, ids=["egress-off"])
async def test_without_egress_the_network_is_internal_and_the_proxy_still_reaches_it(
    stack: Stack, docker: aiodocker.Docker, feed_for: Callable[..., Any]
) -> None:
    alice = await stack.user("alice")
    feed: EventFeed = await feed_for(alice)
    notebook = await healthy(alice, feed)
    container = await network_side(docker, await the_only_container(docker, notebook["key"]))
    network = await (await docker.networks.get(f"{INSTANCE}-nb-{notebook['key']}")).show()
    assert network["Internal"] is True
    assert not container["NetworkSettings"]["Ports"], "nothing is published"
    r = await stack.notebook_client(notebook["key"], alice).get("/api/status")
    assert r.status_code == 200, r.text

    assert (await alice.post(f"/api/notebooks/{notebook['id']}/stop")).status_code == 202
    await feed.wait_status(notebook["id"], "stopped")
    with pytest.raises(aiodocker.DockerError):  # a stopped notebook holds no network
        await docker.networks.get(f"{INSTANCE}-nb-{notebook['key']}")
