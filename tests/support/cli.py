"""The `workspace` command as a person runs it: each run is a new process with its own config
directory; nothing inherits this machine's saved login."""

from __future__ import annotations

import asyncio
import os
import pty
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.environment import ROOT


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
