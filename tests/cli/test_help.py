"""Help, exit codes, completion, and the promise that --help loads no client or server code."""

from __future__ import annotations

import json
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


# Runs the command in a fresh interpreter, then prints every module it loaded.
LOADED = """
import contextlib, io, json, sys
from workspace.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
print(json.dumps(sorted(name for name, module in sys.modules.items() if module)))
"""


def loaded_by(*args: str) -> set[str]:
    command = [sys.executable, "-c", LOADED, *args]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    return set(json.loads(out.stdout))


def test_help_imports_neither_the_client_nor_the_server() -> None:
    packages = {name.split(".")[0] for name in loaded_by("--help")}
    assert "typer" in packages
    assert not packages & {"httpx", "pydantic", "websockets", "rich", "sqlalchemy", "app"}


def test_the_root_help_imports_no_group_of_commands() -> None:
    """A group (`todo`, `nb`, …) is imported when used: the root's help lists it from its line."""
    groups = {"workspace.cli.todo", "workspace.cli.nb", "workspace.cli.post", "workspace.cli.token"}
    assert not loaded_by("--help") & groups
    assert "workspace.cli.nb" in loaded_by("nb", "--help")
