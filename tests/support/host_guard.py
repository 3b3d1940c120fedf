"""The host's own networking, checked before and after every second Docker daemon we start.

A second daemon shares the host's network namespace, and the harm it can do is known: a
`docker_gwbridge` on 172.17.0.0/16 once left the host's containers unreachable, and one that
took `docker0` broke every container start. So around each run the host must keep its default
route and its `docker0` routes, `docker0` its address, no route of another device may cover
`docker0`'s subnet, and the host engine must still run a container that answers on a port
published on 127.0.0.1 (what every notebook on the host needs).
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

HOST_BRIDGE = "docker0"
SMOKE_IMAGE = "workspace/testnb:latest"


def run(*args: str, check: bool = True, stdin: bytes | None = None) -> str:
    done = subprocess.run(args, input=stdin, capture_output=True, check=False, timeout=120)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode(errors="replace")


def routes() -> list[dict[str, object]]:
    parsed: list[dict[str, object]] = json.loads(run("ip", "-j", "route") or "[]")
    return parsed


def index_of(device: str) -> int | None:
    """`device`'s interface index: a deleted and recreated bridge comes back with a new one."""
    out = run("ip", "-j", "link", "show", "dev", device, check=False)
    for link in json.loads(out or "[]"):
        return int(link["ifindex"])
    return None


def address_of(device: str) -> str | None:
    """`device`'s first IPv4 address with its prefix (`172.17.0.1/16`), or None when absent."""
    out = run("ip", "-j", "-4", "addr", "show", "dev", device, check=False)
    for link in json.loads(out or "[]"):
        for info in link.get("addr_info", []):
            return f"{info['local']}/{info['prefixlen']}"
    return None


@dataclass(frozen=True)
class HostState:
    essential_routes: frozenset[tuple[str, str]]  # (destination, device)
    bridge_address: str | None
    bridge_index: int | None


def snapshot() -> HostState:
    table = routes()
    default_devs = {str(r.get("dev")) for r in table if r.get("dst") == "default"}
    keep = default_devs | {HOST_BRIDGE}
    essential = frozenset(
        (str(r.get("dst")), str(r.get("dev"))) for r in table if str(r.get("dev")) in keep
    )
    return HostState(essential, address_of(HOST_BRIDGE), index_of(HOST_BRIDGE))


def problems(before: HostState, *, leftovers: Iterable[str] = ()) -> list[str]:
    """What is wrong with the host now, compared with `before`: empty when intact.
    `leftovers` are devices that must be gone by now (ours, after teardown)."""
    found: list[str] = []
    now = snapshot()
    if before.bridge_address is None:
        found.append(f"{HOST_BRIDGE} was already missing")
    elif now.bridge_address != before.bridge_address:
        found.append(f"{HOST_BRIDGE} is {now.bridge_address}, was {before.bridge_address}")
    elif now.bridge_index != before.bridge_index:
        found.append(f"{HOST_BRIDGE} was deleted and made again (index {now.bridge_index})")
    for dst, dev in sorted(before.essential_routes - now.essential_routes):
        found.append(f"route {dst} dev {dev} is gone")
    table = routes()
    if before.bridge_address is not None:
        bridge_net = ipaddress.ip_interface(before.bridge_address).network
        for r in table:
            dst, dev = str(r.get("dst")), str(r.get("dev"))
            if dst != "default" and dev != HOST_BRIDGE:
                net = ipaddress.ip_network(dst, strict=False)
                if net.overlaps(bridge_net):
                    found.append(f"route {dst} dev {dev} covers {HOST_BRIDGE}'s {bridge_net}")
    gone = set(leftovers)
    found += [f"route {r['dst']} dev {r['dev']} is left" for r in table if r.get("dev") in gone]
    links = json.loads(run("ip", "-j", "link") or "[]")
    found += [f"link {link['ifname']} is left" for link in links if link["ifname"] in gone]
    return found


def smoke(label: str, timeout: float = 60.0) -> None:
    """The host engine runs a container whose port, published on 127.0.0.1, answers."""
    token = "host-smoke"
    cid = run(
        "docker", "run", "-d", "--rm", "-p", "127.0.0.1::8888", "-e", f"JUPYTER_TOKEN={token}",
        "--label", label, SMOKE_IMAGE,
    ).strip()  # fmt: skip
    try:
        port = run("docker", "port", cid, "8888/tcp").splitlines()[0].rsplit(":", 1)[1]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"}
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        while True:
            try:
                with opener.open(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the host engine's container never answered on {port}")
            time.sleep(0.1)
    finally:
        run("docker", "rm", "-f", cid, check=False)


def check(before: HostState, *, label: str, leftovers: Iterable[str] = ()) -> None:
    """Raise when the host is not intact (see the module docstring)."""
    found = problems(before, leftovers=leftovers)
    if not found:
        try:
            smoke(label)
        except RuntimeError as exc:
            found.append(str(exc))
    if found:
        raise RuntimeError("the host is not intact: " + "; ".join(found))
