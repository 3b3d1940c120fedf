"""Help, exit codes, completion, and the promise that --help loads no client or server code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.environment import ROOT

COMMANDS = {
    "": ["login", "logout", "whoami", "todo", "nb", "post", "token", "admin", "serve"],
    "todo": ["add", "ls", "done", "edit", "mv", "rm", "clear"],
    "nb": ["ls", "create", "start", "stop", "restart", "rm", "logs", "open", "run"],
    "token": ["ls", "create", "revoke"],
    "post": ["new", "ls", "publish", "rm", "from-notebook"],
    "admin": ["create-user"],
}


def workspace(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "workspace", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.mark.parametrize("group", list(COMMANDS))
def test_every_command_has_help(group: str) -> None:
    out = workspace(*([group] if group else []), "--help")
    assert out.returncode == 0, out.stderr
    listed = out.stdout.split("Commands:")[1]
    for name in COMMANDS[group]:
        assert f"\n  {name} " in listed, name
        sub = workspace(*([group] if group else []), name, "--help")
        assert sub.returncode == 0 and "Usage: " in sub.stdout, (name, sub.stderr)


def test_the_exit_codes_are_in_the_help() -> None:
    out = workspace("--help").stdout
    for line in ("0    done", "3    not signed in", "5    invalid input", "6    the server"):
        assert line in out


def test_shell_completion_is_available() -> None:
    # typer finds the shell among the parent processes: run it from one (`; exit` keeps bash
    # from replacing itself with the command).
    command = f"{sys.executable} -m workspace --show-completion; exit $?"
    out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "_workspace_completion" in out.stdout and "complete " in out.stdout


def test_help_imports_neither_the_client_nor_the_server() -> None:
    command = [sys.executable, "-X", "importtime", "-m", "workspace", "--help"]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    modules = {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines()}
    assert not modules & {"httpx", "pydantic", "websockets", "rich", "sqlalchemy", "app"}
