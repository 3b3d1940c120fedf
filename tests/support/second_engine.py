"""A Docker engine of the test's own, to kill and restart without touching the host's.

It gets its own data root, exec root, pidfile, socket, cgroup parent and bridge (a bridge
interface made here, on 10.231.0.0/24), changes no iptables rule, and is removed with
everything it made when the test ends. It is started without `--default-address-pool`:
with that flag, every start on a kept data root deletes the link named `docker0` (the
host's), whatever `--bridge` says. The
notebook test image is copied into it from the host's engine (no registry here).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

import aiodocker

NAME = "ws-second-engine"
BRIDGE = "wssecond1"
BRIDGE_ADDRESS = "10.231.0.1/24"


class SecondEngine:
    def __init__(self) -> None:
        self.data_root = Path("/var/lib") / NAME
        self.exec_root = Path("/run") / NAME
        self.socket = self.exec_root / "docker.sock"
        self.pidfile = self.exec_root / "dockerd.pid"
        self.log = Path("/tmp") / f"{NAME}.log"
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def client(self) -> aiodocker.Docker:
        return aiodocker.Docker(url=self.url)

    async def setup(self, images: list[str]) -> None:
        await self.teardown()  # what an interrupted run may have left
        await asyncio.to_thread(_make_bridge)
        self.exec_root.mkdir(parents=True, exist_ok=True)
        await self.start()
        await asyncio.to_thread(_copy_images, images, self.url)

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                "dockerd",
                "--data-root", str(self.data_root),
                "--exec-root", str(self.exec_root),
                "--pidfile", str(self.pidfile),
                "-H", self.url,
                "--bridge", BRIDGE,
                "--iptables=false",
                "--ip-forward=false",
                "--ip-masq=false",
                "--cgroup-parent", f"/{NAME}",
                stdout=log,
                stderr=log,
                start_new_session=True,
            )  # fmt: skip
        for _ in range(300):
            with contextlib.suppress(aiodocker.DockerError, OSError):
                async with self.client() as docker:
                    await docker.version()
                    return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"the second dockerd did not answer; see {self.log}")

    async def stop(self, sig: int) -> None:
        """Kill (SIGKILL: a crash) or stop (SIGTERM) the engine, and wait until it is gone."""
        process = self.process
        if process is None or process.returncode is not None:
            return
        containerd = self.exec_root / "containerd" / "containerd.pid"
        containerd_pid = containerd.read_text().strip() if containerd.exists() else ""
        process.send_signal(sig)
        await asyncio.wait_for(process.wait(), 60)
        # Its containerd goes down with it, a moment later: the next dockerd would otherwise
        # find it still there and wait for it in vain.
        for _ in range(300):
            if not containerd_pid or not await asyncio.to_thread(_exists, containerd_pid):
                break
            await asyncio.sleep(0.1)

    async def teardown(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(aiodocker.DockerError, OSError):
                async with self.client() as docker:
                    for container in await docker.containers.list(all=True):
                        await container.delete(force=True)
            await self.stop(signal.SIGTERM)
        elif self.pidfile.exists():  # left by an interrupted run
            with contextlib.suppress(ValueError, ProcessLookupError):
                os.kill(int(self.pidfile.read_text()), signal.SIGTERM)
                await asyncio.sleep(3)
        for pid in _containerd_pids(self.exec_root) + _shim_pids(self.exec_root):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        await asyncio.to_thread(_remove_files_and_bridge, self.data_root, self.exec_root)


def _exists(pid: str) -> bool:
    return Path(f"/proc/{pid}").exists()


def _make_bridge() -> None:
    for args in (
        ["ip", "link", "add", BRIDGE, "type", "bridge"],
        ["ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE],
        ["ip", "link", "set", BRIDGE, "up"],
    ):
        subprocess.run(args, check=True, capture_output=True)


def _copy_images(images: list[str], url: str) -> None:
    for image in images:
        saved = subprocess.Popen(["docker", "save", image], stdout=subprocess.PIPE)
        subprocess.run(["docker", "-H", url, "load", "-q"], stdin=saved.stdout, check=True)
        assert saved.wait() == 0


def _remove_files_and_bridge(data_root: Path, exec_root: Path) -> None:
    for mount in reversed(_mounts_under(data_root, exec_root)):
        subprocess.run(["umount", "-l", mount], check=False)
    shutil.rmtree(data_root, ignore_errors=True)
    shutil.rmtree(exec_root, ignore_errors=True)
    subprocess.run(["ip", "link", "del", BRIDGE], check=False, capture_output=True)


def _pids_matching(needle: str, program: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if program in cmdline and needle in cmdline:
                pids.append(int(entry.name))
    return pids


def _containerd_pids(exec_root: Path) -> list[int]:
    return _pids_matching(f"{exec_root}/containerd/containerd.toml", "containerd --config")


def _shim_pids(exec_root: Path) -> list[int]:
    return _pids_matching(f"{exec_root}/containerd/containerd.sock", "containerd-shim")


def _mounts_under(*roots: Path) -> list[str]:
    found = []
    for line in Path("/proc/mounts").read_text().splitlines():
        target = line.split()[1]
        if any(target.startswith(str(root)) for root in roots):
            found.append(target)
    return found
