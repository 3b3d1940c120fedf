"""The `workspace` command against the real stack: each run is a new process, as a person's is,
with its own config directory; nothing inherits this machine's saved login."""

from __future__ import annotations

import asyncio
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.core.config import Settings
from tests.support.environment import PASSWORD, ROOT
from tests.support.processes import free_port
from tests.support.stack import Stack

# In the allow-list but on no Docker host: a notebook of it fails, with the reason.
ABSENT_IMAGE = "workspace/absent:latest"


@pytest.fixture
def stack_settings(stack_settings: Settings) -> Settings:
    images = [*stack_settings.notebook_images, ABSENT_IMAGE]
    return stack_settings.model_copy(update={"notebook_images": images})


@dataclass
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"workspace {' '.join(self.args)} → {self.code}\n{self.stdout}\n{self.stderr}"


@dataclass
class Cli:
    """Runs `workspace …` in a subprocess; `env` is its whole environment."""

    home: Path
    url: str
    env: dict[str, str] = field(default_factory=dict)

    def environ(self, extra: dict[str, str] | None) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith("WORKSPACE_")}
        base = keep | {"XDG_CONFIG_HOME": str(self.home), "WORKSPACE_URL": self.url}
        return base | self.env | (extra or {})

    async def run(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        process = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "workspace", *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.environ(env),
            cwd=ROOT,
            timeout=300,
        )
        result = Result(args, process.returncode, process.stdout, process.stderr)
        # Whatever happened, it is said in a line, never with a traceback of ours (code run
        # in a kernel has its own, which is the answer).
        assert not re.search(r"^Traceback \(most recent call last\)", result.stderr, re.M), result
        return result

    async def ok(self, *args: str, input: str | None = None) -> str:
        result = await self.run(*args, input=input)
        assert result.code == 0, result
        return result.stdout

    async def fails(self, code: int, *args: str, input: str | None = None) -> str:
        """The one line on stderr, after checking the exit code."""
        result = await self.run(*args, input=input)
        assert result.code == code, result
        lines = result.stderr.strip().splitlines()
        assert lines and lines[-1].startswith("error: "), result
        return lines[-1]

    async def tty(self, *args: str, columns: int = 100) -> tuple[int, str]:
        """Run with a terminal as stdout and stderr (rich output); returns (code, screen)."""
        return await asyncio.to_thread(self._tty, args, columns)

    def _tty(self, args: tuple[str, ...], columns: int) -> tuple[int, str]:
        leader, follower = pty.openpty()
        env = self.environ({"COLUMNS": str(columns), "TERM": "xterm-256color"})
        process = subprocess.Popen(
            [sys.executable, "-m", "workspace", *args],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            env=env,
            cwd=ROOT,
        )
        os.close(follower)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        code = process.wait(timeout=300)
        return code, b"".join(chunks).decode(errors="replace")


CliFactory = Callable[..., Cli]


@pytest.fixture
def cli(stack: Stack, tmp_path: Path) -> Cli:
    """A person's terminal, pointed at the stack, signed in to nothing yet."""
    return Cli(home=tmp_path / "config", url=stack.base_url)


@pytest.fixture
async def alice(stack: Stack, cli: Cli) -> Cli:
    """`cli`, signed in as alice with `workspace login`."""
    await stack.user("alice")
    await cli.ok("login", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    return cli


@pytest.fixture
def nowhere() -> str:
    """An address nothing listens on."""
    return f"http://127.0.0.1:{free_port()}"
