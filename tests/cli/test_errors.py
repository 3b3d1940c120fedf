"""Each failure is one line and an exit code, never a traceback (Cli.run checks that)."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import Cli
from tests.support.stack import Stack
from workspace.cli._errors import AUTH, INVALID, NOT_FOUND, UNREACHABLE, USAGE


async def test_wrong_password_and_a_revoked_token(stack: Stack, cli: Cli) -> None:
    await stack.user("alice")
    line = await cli.fails(
        AUTH, "login", "--username", "alice", "--password-stdin", input="not-it\n"
    )
    assert line == "error: wrong username or password (run `workspace login`)"
    assert not (cli.home / "workspace" / "config.json").exists()

    await cli.ok(
        "login", "--username", "alice", "--password-stdin", input="correct-horse-battery\n"
    )
    (mine,) = [row for row in (await cli.ok("token", "ls")).splitlines() if "workspace-cli" in row]
    await cli.ok("token", "revoke", mine.split("\t")[0])
    line = await cli.fails(AUTH, "todo", "ls")
    assert line == "error: invalid, expired or revoked API token (run `workspace login`)"


async def test_refused_input_names_the_field(alice: Cli) -> None:
    line = await alice.fails(INVALID, "nb", "create", "Not_A_Name", "--no-wait")
    assert line.startswith("error: name: String should match pattern")
    line = await alice.fails(INVALID, "todo", "add", "#only !high")
    assert line == "error: text: give a title besides #tags, !priority and due:"
    line = await alice.fails(INVALID, "todo", "edit", "1", "--priority", "urgent")
    assert line.startswith("error: priority: Input should be 'none', 'low', 'medium' or 'high'")

    await alice.ok("nb", "create", "lab", "--no-wait")
    line = await alice.fails(INVALID, "nb", "create", "lab", "--no-wait")
    assert line == "error: name: you already have a notebook named 'lab'"

    assert await alice.fails(NOT_FOUND, "nb", "stop", "nothing") == (
        "error: name: no notebook named 'nothing'"
    )
    assert await alice.fails(NOT_FOUND, "todo", "done", "99999") == "error: todo not found"

    result = await alice.run("todo", "done", "not-a-number")
    assert result.code == USAGE and "Invalid value" in result.stderr


async def test_the_server_unreachable(tmp_path: Path, nowhere: str) -> None:
    cli = Cli(home=tmp_path, url=nowhere)
    for args in (("todo", "ls"), ("nb", "create", "lab"), ("whoami",), ("token", "ls")):
        result = await cli.run(*args, env={"WORKSPACE_TOKEN": "wst_anything"})
        assert result.code == UNREACHABLE, result
        assert result.stderr.startswith(f"error: cannot reach {nowhere}: "), result
        assert "Connection refused" in result.stderr, result
    line = await cli.fails(
        UNREACHABLE, "login", "--username", "alice", "--password-stdin", input="secret\n"
    )
    assert line.startswith(f"error: cannot reach {nowhere}")
