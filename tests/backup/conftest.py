"""Helpers for the backup tests: the command run as the server's administrator would, the
files of a volume read through the engine, and notebooks waited for through the api."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
import sys
import tarfile
import time
from typing import Any

import aiodocker
import httpx

from app.core.config import Settings
from tests.support.environment import INSTANCE, ROOT, TEST_IMAGE
from tests.support.processes import process_env


async def workspace_admin(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """`workspace admin …` in a new process with exactly `settings`."""
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "workspace", "admin", *args],
        capture_output=True,
        text=True,
        env=process_env(settings),
        cwd=ROOT,
        timeout=600,
        check=False,
    )


FileInfo = tuple[str, int, int, int, str]  # type, mode, uid, gid, content digest or link


async def volume_files(docker: aiodocker.Docker, volume: str) -> dict[str, FileInfo]:
    """Every entry of the volume, read through a container that never starts."""
    container = await docker.containers.create(
        {
            "Image": TEST_IMAGE,
            "Labels": {"workspace.instance": INSTANCE},
            "NetworkDisabled": True,
            "HostConfig": {"Mounts": [{"Type": "volume", "Source": volume, "Target": "/v"}]},
        }
    )
    try:
        archive: tarfile.TarFile = await container.get_archive("/v")
        files: dict[str, FileInfo] = {}
        for member in archive:
            content = ""
            if member.isfile():
                extracted = archive.extractfile(member)
                assert extracted is not None
                content = hashlib.sha256(extracted.read()).hexdigest()
            elif member.issym():
                content = member.linkname
            kind = "d" if member.isdir() else "l" if member.issym() else "f"
            files[member.name] = (kind, member.mode, member.uid, member.gid, content)
        return files
    finally:
        await container.delete(force=True)


async def run_in(docker: aiodocker.Docker, container: str, script: str) -> str:
    """A shell script in a running container as the notebook user; its output."""
    execution = await docker.containers.container(container).exec(
        ["sh", "-c", script], user="1000:1000"
    )
    out = b""
    async with execution.start(detach=False) as stream:
        while (message := await stream.read_out()) is not None:
            out += message.data
    inspected = await execution.inspect()
    assert inspected["ExitCode"] == 0, out
    return out.decode()


async def wait_notebook(
    client: httpx.AsyncClient, notebook_id: int, status: str, timeout: float = 180
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        notebook: dict[str, Any] = (await client.get(f"/api/notebooks/{notebook_id}")).json()
        if not seen or seen[-1] != notebook["status"]:
            seen.append(notebook["status"])
        if notebook["status"] == status:
            return notebook
        await asyncio.sleep(0.2)
    raise AssertionError(f"notebook {notebook_id} never became {status}: {seen}")


def read_manifest(path: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((path / "manifest.json").read_text())
    return data
