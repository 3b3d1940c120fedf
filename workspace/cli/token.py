"""`workspace token`: personal API tokens for scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from workspace.cli import _output
from workspace.cli._groups import group_app
from workspace.cli._session import client

app = group_app()  # its help: workspace/cli/_groups.py
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("ls")
def list_tokens(as_json: Json = False) -> None:
    """List your tokens (their secrets are never shown again)."""
    with client() as ws:
        tokens = ws.tokens.list()
    if as_json:
        _output.emit_json(tokens)
        return
    rows = [
        [t.id, t.name, f"{t.prefix}…", f"{t.created_at:%Y-%m-%d %H:%M}",
         f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"]
        for t in tokens
    ]  # fmt: skip
    _output.rows(("id", "name", "starts with", "created", "last used"), rows, empty="no tokens")


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="What it is for, e.g. 'backup script'.")],
    as_json: Json = False,
) -> None:
    """Create a token and print its secret (shown this once)."""
    with client() as ws:
        created = ws.tokens.create(name)
    if as_json:
        _output.emit_json(created)
    elif _output.is_tty():
        _output.say(created.token, style="bold")
        _output.say("Copy it now: it is not shown again.", style="dim")
    else:
        _output.say(created.token)


@app.command()
def revoke(token: Annotated[str, typer.Argument(help="The token's id or name.")]) -> None:
    """Revoke a token: scripts using it are refused from now on."""
    from workspace.errors import NotFound, Problem

    with client() as ws:
        if token.isdigit():
            token_id = int(token)
        else:
            matches = [t.id for t in ws.tokens.list() if t.name == token]
            if len(matches) != 1:
                reason = (
                    f"no token named {token!r}"
                    if not matches
                    else (f"{len(matches)} tokens are named {token!r}: give the id")
                )
                raise NotFound(404, [Problem("token", reason)])
            token_id = matches[0]
        ws.tokens.revoke(token_id)
    _output.say(f"revoked token {token_id}")
