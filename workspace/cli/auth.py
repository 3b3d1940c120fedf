"""`workspace login`, `logout` and `whoami`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from workspace.cli import _output
from workspace.cli._session import options


def _machine_token_name() -> str:
    import getpass
    import socket

    return f"workspace-cli {getpass.getuser()}@{socket.gethostname()}"[:100]


def _first_line(what: str) -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise typer.BadParameter(f"no {what} on standard input")
    return line


def login(
    url: Annotated[
        str | None, typer.Option(help="WorkSpace's address (default: WORKSPACE_URL, or saved).")
    ] = None,
    username: Annotated[
        str | None, typer.Option(help="Your user name (asked if not given).")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    token_stdin: Annotated[
        bool,
        typer.Option("--token-stdin", help="Read an existing API token from standard input."),
    ] = False,
) -> None:
    """Sign in and save a new API token, named after this machine, in your config directory.

    The file is readable by you only (0600). With --token-stdin, an existing token is checked
    and saved instead.
    """
    from workspace import config
    from workspace._sync.client import Client

    if password_stdin and token_stdin:
        raise typer.BadParameter("give --password-stdin or --token-stdin, not both")
    address = url or options.url
    if token_stdin:
        token = _first_line("token")
        with Client(url=address, token=token) as ws:
            me = ws.me()
            prefix = next((t for t in ws.tokens.list() if token.startswith(t.prefix)), None)
            saved = config.Saved(ws.url, token, me.username, prefix.id if prefix else None)
    else:
        name = username or typer.prompt("Username")
        secret = (
            _first_line("password") if password_stdin else typer.prompt("Password", hide_input=True)
        )
        with Client(
            url=address,
        ) as ws:
            created = ws.sign_in(name, secret, token_name=_machine_token_name())
            saved = config.Saved(ws.url, created.token, name, created.id)
    path = config.save(saved)
    _output.say(f"Signed in to {saved.url} as {saved.username}; token saved in {path}")


def logout() -> None:
    """Revoke the token `login` made and forget it."""
    from workspace import config
    from workspace._sync.client import Client
    from workspace.errors import NotFound, Unauthorized, Unreachable

    saved = config.load()
    if saved is None:
        _output.say("Not signed in.")
        return
    revoked = False
    if saved.token_id is not None:
        with Client(url=saved.url, token=saved.token) as ws:
            try:
                ws.tokens.revoke(saved.token_id)
                revoked = True
            except (NotFound, Unauthorized):
                pass  # already revoked: forgetting it is all that is left
            except Unreachable as exc:
                _output.warn(f"warning: could not revoke the token ({exc}); forgetting it")
    config.forget()
    _output.say(f"Signed out of {saved.url}" + ("; token revoked" if revoked else ""))


def whoami(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Who the saved token (or WORKSPACE_TOKEN) signs you in as."""
    from workspace.cli._session import client

    with client() as ws:
        me = ws.me()
        if as_json:
            _output.emit_json({**me.model_dump(mode="json"), "url": ws.url})
            return
        _output.say(f"{me.username} at {ws.url}" + (" (admin)" if me.is_admin else ""))
