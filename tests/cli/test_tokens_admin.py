"""workspace token create|ls|revoke, and the server-side `workspace admin create-user`."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from tests.support.cli import Cli
from tests.support.environment import ROOT
from tests.support.processes import process_env
from tests.support.stack import Stack
from workspace.cli._errors import AUTH, INVALID, NOT_FOUND


async def test_tokens(alice: Cli) -> None:
    secret = (await alice.ok("token", "create", "backup script")).strip()
    assert secret.startswith("wst_")
    assert (await alice.run("whoami", env={"WORKSPACE_TOKEN": secret})).stdout.startswith("alice")
    created = json.loads(await alice.ok("token", "create", "ci", "--json"))
    assert created["name"] == "ci" and created["token"].startswith(created["prefix"])

    listed = json.loads(await alice.ok("token", "ls", "--json"))
    assert {"backup script", "ci"} <= {t["name"] for t in listed}
    assert all("token" not in t for t in listed)  # secrets are shown once only
    assert "revoked" in await alice.ok("token", "revoke", "backup script")
    result = await alice.run("whoami", env={"WORKSPACE_TOKEN": secret})
    assert result.code == AUTH
    assert await alice.fails(NOT_FOUND, "token", "revoke", "backup script") == (
        "error: token: no token named 'backup script'"
    )


async def test_admin_create_user(stack: Stack, cli: Cli) -> None:
    def create(name: str, *flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workspace", "admin", "create-user", name, *flags],
            input="a-long-enough-password\n",
            capture_output=True,
            text=True,
            env=process_env(stack.settings),
            cwd=ROOT,
            check=False,
        )

    made = await asyncio.to_thread(create, "bob", "--admin")
    assert made.returncode == 0 and made.stdout.strip() == "created user 'bob' (admin)", made
    again = await asyncio.to_thread(create, "bob")
    assert again.returncode == INVALID and again.stderr.startswith("error: "), again
    assert "Traceback" not in again.stderr
    await cli.ok("login", "--username", "bob", "--password-stdin", input="a-long-enough-password\n")
    assert (await cli.ok("whoami")).strip() == f"bob at {stack.base_url} (admin)"
