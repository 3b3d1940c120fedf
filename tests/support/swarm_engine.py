"""A Docker Swarm of our own for tests: second (and third) Docker daemons beside the host's.

Every daemon gets its own data root, exec root, pid file, socket and config file, all under
paths naming `ws-swarm`, and touches none of the host engine's networking:
- The manager's default bridge is `wsswarm0` (10.241.0.1/24), created here and handed over
  with `-b`: `--bip` cannot be combined with `-b`, and `--bip` alone would take the bridge
  called `docker0`, which is the host engine's.
- Local networks come from 10.242.0.0/16, Swarm's overlays from 10.243.0.0/16, and
  `docker_gwbridge` is created before `swarm init`, on 10.244.0.0/24 as Linux bridge
  `wsswarm_gw`, so Docker never picks 172.17.0.0/16 for it.
- `--iptables=false --ip-forward=false --ip-masq=false`: no rule or sysctl of the host
  changes. So tasks have no internet egress here, and isolation between networks is that
  of separate overlays (no routing between them), not the iptables rules a production
  engine adds to `docker_gwbridge`.
- The swarm advertises 10.241.0.1 (the manager's bridge); there is no dummy interface
  module in this kernel. The routing mesh needs IPVS, which this kernel lacks, so the
  `ingress` network is removed and services use endpoint mode dnsrr.
- `--no-new-privileges`: this engine's Swarm API cannot ask for it per service, so notebook
  nodes set it engine-wide (the README says so for real clusters too).
- DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: tasks use the image loaded here instead of asking
  a registry first (there is none here).
A worker node runs in a network namespace of its own (`wsswarm-n2`), linked to `wsswarm0` by
a veth pair, so its vxlan port and bridges are its own; it runs with `-b none`, which makes
dockerd delete the link called `docker0` of its namespace at every start: the host's when
run outside one (see `_start_daemon`).

`down()` removes all of it, whatever state a failed run left: daemons, their containerd and
shims (found by our exec root in their command line), mounts, links, the namespace, data.
`python -m tests.support.swarm_engine down` does the same by hand.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import host_guard, locks
from tests.support.host_guard import run

DATA = Path("/var/lib/ws-swarm")
RUN = Path("/run/ws-swarm")
LOGS = Path("/tmp")
LOCK = Path("/run/ws-swarm.lock")
BRIDGE, BRIDGE_ADDRESS, CONTAINER_RANGE = "wsswarm0", "10.241.0.1/24", "10.241.0.0/25"
LOCAL_POOL = "base=10.242.0.0/16,size=24"
SWARM_POOL = "10.243.0.0/16"
GW_NAME = "wsswarm_gw"
NETNS, VETH_HOST, VETH_NODE = "wsswarm-n2", "wsswarm-v2", "wsswarm-v2p"
TEST_IMAGE, JUPYTER_IMAGE = "workspace/testnb:latest", "workspace/jupyter:latest"
DATA_SIZE = "6g"
NODE_LABEL = "workspace.notebooks"


@dataclass(frozen=True)
class Node:
    name: str
    address: str  # its swarm advertise and data-path address
    gw_subnet: str  # its docker_gwbridge
    netns: str | None = None  # None: the host's own network namespace

    @property
    def data_root(self) -> Path:
        return DATA / self.name

    @property
    def exec_root(self) -> Path:
        return RUN / self.name

    @property
    def socket(self) -> Path:
        return self.exec_root / "docker.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @property
    def log(self) -> Path:
        return LOGS / f"ws-swarm-{self.name}.log"

    @property
    def gw_device(self) -> str:
        return GW_NAME if self.netns is None else f"{GW_NAME}2"

    def docker(self, *args: str, check: bool = True, stdin: bytes | None = None) -> str:
        return run("docker", "-H", self.url, *args, check=check, stdin=stdin)


MANAGER = Node("manager", "10.241.0.1", "10.244.0.0/24")
WORKER = Node("node2", "10.241.0.250", "10.244.1.0/24", netns=NETNS)
NODES = (WORKER, MANAGER)  # teardown order: workers first
OUR_LINKS = (VETH_HOST, GW_NAME, BRIDGE)


@dataclass
class SwarmEngine:
    """A running swarm: `MANAGER` always, `WORKER` after `add_worker()`."""

    host_before: host_guard.HostState
    nodes: list[Node] = field(default_factory=lambda: [MANAGER])
    node_ids: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return MANAGER.url

    def add_worker(self, *, labels: dict[str, str] | None = None) -> str:
        """Start `WORKER`, join it to the swarm, label it; its node id."""
        _link_worker_namespace()
        _start_daemon(WORKER)
        load_images(WORKER, (TEST_IMAGE,))
        token = MANAGER.docker("swarm", "join-token", "-q", "worker").strip()
        WORKER.docker(
            "swarm", "join", "--token", token, "--advertise-addr", WORKER.address,
            "--data-path-addr", WORKER.address, f"{MANAGER.address}:2377",
        )  # fmt: skip
        self.nodes.insert(0, WORKER)
        node_id = WORKER.docker("info", "--format", "{{.Swarm.NodeID}}").strip()
        self.node_ids[WORKER.name] = node_id
        self.label_node(node_id, labels or {})
        return node_id

    def label_node(self, node_id: str, labels: dict[str, str]) -> None:
        for key, value in labels.items():
            MANAGER.docker("node", "update", "--label-add", f"{key}={value}", node_id)


def exclusive() -> contextlib.AbstractContextManager[None]:
    """One harness at a time on this machine: the addresses and names are fixed."""
    return locks.exclusive(LOCK, "swarm harness")


def up(images: tuple[str, ...] = (TEST_IMAGE,)) -> SwarmEngine:
    """A fresh single-node swarm on `MANAGER`, with `images` loaded from the host engine."""
    before = host_guard.snapshot()
    found = host_guard.problems(before)
    if found:
        raise RuntimeError("the host is not intact before starting: " + "; ".join(found))
    down()
    # Data roots on a tmpfs: removing a disk copy of the images took over a minute here.
    DATA.mkdir(parents=True, exist_ok=True)
    run("mount", "-t", "tmpfs", "-o", f"size={DATA_SIZE}", "ws-swarm", str(DATA))
    _add_link("link", "add", BRIDGE, "type", "bridge")
    run("ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE)
    run("ip", "link", "set", BRIDGE, "up")
    _start_daemon(MANAGER)
    MANAGER.docker(
        "swarm", "init", "--advertise-addr", MANAGER.address, "--listen-addr",
        f"{MANAGER.address}:2377", "--data-path-addr", MANAGER.address,
        "--default-addr-pool", SWARM_POOL, "--default-addr-pool-mask-length", "24",
    )  # fmt: skip
    # No IPVS here, so no routing mesh: nothing publishes through `ingress`.
    MANAGER.docker("network", "rm", "ingress", stdin=b"y\n")
    load_images(MANAGER, images)
    engine = SwarmEngine(before)
    engine.node_ids[MANAGER.name] = MANAGER.docker("info", "--format", "{{.Swarm.NodeID}}").strip()
    return engine


def _add_link(*args: str) -> None:
    run("ip", *args)


def _start_daemon(node: Node) -> None:
    # dockerd deletes the link called `docker0` (the host engine's) when it starts with
    # `-b none`, and when it restarts on a data root holding a default `bridge` network while
    # `--default-address-pool` is set. So: `-b none` only inside a namespace of our own,
    # and never a restart on a kept data root.
    if node.netns is None and node.data_root.exists() and any(node.data_root.iterdir()):
        raise RuntimeError(f"{node.data_root} is not empty: a restart there deletes docker0")
    node.data_root.mkdir(parents=True, exist_ok=True)
    node.exec_root.mkdir(parents=True, exist_ok=True)
    config = node.exec_root / "daemon.json"
    config.write_text("{}\n")  # never /etc/docker/daemon.json: that is the host engine's
    own_bridge = ["-b", BRIDGE, "--fixed-cidr", CONTAINER_RANGE]
    bridge = own_bridge if node.netns is None else ["-b", "none"]
    args = [
        "dockerd", "--config-file", str(config), "--data-root", str(node.data_root),
        "--exec-root", str(node.exec_root), "--pidfile", str(node.exec_root / "dockerd.pid"),
        "-H", node.url, *bridge, "--default-address-pool", LOCAL_POOL,
        "--iptables=false", "--ip-forward=false", "--ip-masq=false",
        "--cgroup-parent", f"/ws-swarm-{node.name}", "--no-new-privileges",
    ]  # fmt: skip
    if node.netns is not None:
        args = ["nsenter", f"--net=/run/netns/{node.netns}", *args]
    env = {**os.environ, "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1"}
    with node.log.open("wb") as log:
        subprocess.Popen(args, stdout=log, stderr=log, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while node.docker("version", "--format", "{{.Server.Version}}", check=False).strip() == "":
        if time.monotonic() > deadline:
            raise RuntimeError(f"dockerd {node.name} did not start; see {node.log}")
        time.sleep(0.2)
    node.docker(
        "network", "create", "--driver", "bridge", "--subnet", node.gw_subnet,
        "--opt", f"com.docker.network.bridge.name={node.gw_device}",
        "--opt", "com.docker.network.bridge.enable_icc=false",
        "--opt", "com.docker.network.bridge.enable_ip_masquerade=false",
        "docker_gwbridge",
    )  # fmt: skip


def _link_worker_namespace() -> None:
    run("ip", "netns", "add", NETNS)
    _add_link("link", "add", VETH_HOST, "type", "veth", "peer", "name", VETH_NODE)
    run("ip", "link", "set", VETH_NODE, "netns", NETNS)
    run("ip", "link", "set", VETH_HOST, "master", BRIDGE, "up")
    inside = ("ip", "netns", "exec", NETNS, "ip")
    run(*inside, "addr", "add", f"{WORKER.address}/24", "dev", VETH_NODE)
    run(*inside, "link", "set", VETH_NODE, "up")
    run(*inside, "link", "set", "lo", "up")


def load_images(node: Node, images: tuple[str, ...]) -> None:
    """Copy `images` from the host engine to `node`'s."""
    saved = subprocess.run(["docker", "save", *images], capture_output=True, check=True).stdout
    node.docker("load", "-q", stdin=saved)


def down() -> None:
    """Remove everything the harness may have made; safe to run at any time, repeatedly."""
    errors: list[str] = []
    for node in NODES:
        if node.socket.exists():
            node.docker("swarm", "leave", "--force", check=False)
            ids = node.docker("ps", "-aq", check=False).split()
            if ids:
                node.docker("rm", "-f", *ids, check=False)
        _stop_processes(node, errors)
    _unmount_under((DATA, RUN), errors)
    _remove_links(errors)
    if Path(f"/run/netns/{NETNS}").exists():
        run("ip", "netns", "del", NETNS, check=False)
    _check_iptables(errors)
    for node in NODES:
        _remove_cgroups(f"ws-swarm-{node.name}")
    if not any(_mounts_under((DATA, RUN))):
        for path in (DATA, RUN):
            run("rm", "-rf", "--one-file-system", str(path), check=False)
    if errors:
        raise RuntimeError("swarm teardown: " + "; ".join(errors))


def _our_pids(node: Node) -> list[int]:
    """dockerd, containerd and the shims of `node`: each names its exec root."""
    marker = str(node.exec_root).encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if marker in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
    return pids


def _stop_processes(node: Node, errors: list[str]) -> None:
    pidfile = node.exec_root / "dockerd.pid"
    with contextlib.suppress(OSError, ValueError):
        pid = int(pidfile.read_text())
        if pid in _our_pids(node):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 30
            while pid in _our_pids(node) and time.monotonic() < deadline:
                time.sleep(0.2)
    for pid in _our_pids(node):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _our_pids(node) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _our_pids(node):
        errors.append(f"processes of {node.name} survive: {_our_pids(node)}")


def _mounts_under(roots: tuple[Path, ...]) -> list[str]:
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4].replace("\\040", " ")
        if any(point == str(r) or point.startswith(f"{r}/") for r in roots):
            points.append(point)
    return points


def _unmount_under(roots: tuple[Path, ...], errors: list[str]) -> None:
    for point in sorted(set(_mounts_under(roots)), key=len, reverse=True):
        if subprocess.run(["umount", point], capture_output=True, check=False).returncode:
            run("umount", "-l", point, check=False)
    left = _mounts_under(roots)
    if left:
        errors.append(f"mounts left: {left}")


def _remove_links(errors: list[str]) -> None:
    links = json.loads(run("ip", "-j", "link") or "[]")
    ours = {GW_NAME, BRIDGE}
    # Containers' veths on our bridges, then our own links. Nothing else is ever removed.
    for link in links:
        if link.get("master") in ours and link["ifname"] not in OUR_LINKS:
            run("ip", "link", "del", link["ifname"], check=False)
    for name in OUR_LINKS:
        if any(link["ifname"] == name for link in links):
            run("ip", "link", "del", name, check=False)
    found = host_guard.problems(host_guard.snapshot(), leftovers=OUR_LINKS)
    errors += [problem for problem in found if "left" in problem]


def _check_iptables(errors: list[str]) -> None:
    """The daemons run with --iptables=false; a rule naming our links or ranges is a bug."""
    marks = (BRIDGE, GW_NAME, "10.241.", "10.242.", "10.243.", "10.244.")
    table = ""
    for line in run("iptables-save").splitlines():
        table = line[1:] if line.startswith("*") else table
        if line.startswith("-A ") and any(m in line for m in marks):
            errors.append(f"iptables rule in {table}: {line}")


def _remove_cgroups(name: str) -> None:
    for controller in Path("/sys/fs/cgroup").iterdir():
        top = controller / name
        if top.is_dir():
            for path in sorted(top.rglob("*"), key=lambda p: len(str(p)), reverse=True):
                if path.is_dir():
                    with contextlib.suppress(OSError):
                        path.rmdir()
            with contextlib.suppress(OSError):
                top.rmdir()


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    with exclusive():
        if command == "down":
            down()
        elif command == "check":
            before = host_guard.snapshot()
            engine = up()
            try:
                engine.add_worker(labels={NODE_LABEL: "true"})
                print(MANAGER.docker("node", "ls"))
            finally:
                down()
                host_guard.check(before, label="workspace.instance=wsswarm-hostcheck")
            print("host intact")
        else:
            raise SystemExit("usage: python -m tests.support.swarm_engine [check|down]")


if __name__ == "__main__":
    main()
