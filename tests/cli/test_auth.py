"""login, whoami, logout: the token is named after the machine, saved owner-only, revoked."""

from __future__ import annotations

import json
import socket
import stat

import httpx

from tests.support.cli import Cli
from tests.support.environment import PASSWORD
from tests.support.stack import Stack
from workspace.cli._errors import AUTH


async def test_login_saves_a_machine_token_owner_only_and_logout_revokes_it(
    stack: Stack, cli: Cli
) -> None:
    admin = await stack.user("alice")
    out = await cli.ok("login", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert f"Signed in to {stack.base_url} as alice" in out

    saved = cli.home / "workspace" / "config.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    data = json.loads(saved.read_text())
    assert data["url"] == stack.base_url and data["token"].startswith("wst_")
    tokens = (await admin.get("/api/tokens")).json()
    (minted,) = [t for t in tokens if t["id"] == data["token_id"]]
    assert socket.gethostname() in minted["name"]

    assert (await cli.ok("whoami")).strip() == f"alice at {stack.base_url}"
    assert json.loads(await cli.ok("whoami", "--json"))["username"] == "alice"

    assert "token revoked" in await cli.ok("logout")
    assert not saved.exists()
    assert all(t["id"] != data["token_id"] for t in (await admin.get("/api/tokens")).json())
    line = await cli.fails(AUTH, "whoami")
    assert "not signed in" in line


async def test_login_with_an_existing_token_from_stdin(stack: Stack, cli: Cli) -> None:
    alice = await stack.user("alice")
    token = alice.headers["Authorization"].removeprefix("Bearer ")
    await cli.ok("login", "--token-stdin", input=token + "\n")
    assert (await cli.ok("whoami")).startswith("alice at")
    # It was not minted by login, but it is found among the user's, so logout revokes it.
    assert "token revoked" in await cli.ok("logout")
    r = await httpx.AsyncClient(base_url=stack.base_url).get(
        "/api/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 401


async def test_the_environment_comes_before_the_saved_login(
    stack: Stack, alice: Cli, nowhere: str
) -> None:
    bob = await stack.user("bob")
    token = bob.headers["Authorization"].removeprefix("Bearer ")
    assert (await alice.run("whoami", env={"WORKSPACE_TOKEN": token})).stdout.startswith("bob")
    # The saved token is never sent to another server than the one it was saved for.
    result = await alice.run("whoami", env={"WORKSPACE_URL": nowhere})
    assert result.code == AUTH and "not signed in" in result.stderr
