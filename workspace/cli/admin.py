"""`workspace admin …`: on the server's machine, with its configuration (the database
directly); the server's code is imported only when a command runs."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from workspace.cli import _errors, _output, backup
from workspace.cli._groups import group_app

app = group_app()  # its help: workspace/cli/_groups.py
app.command()(backup.backup)
app.command()(backup.restore)


@app.command("create-user")
def create_user(
    username: str,
    is_admin: Annotated[bool, typer.Option("--admin", help="Give the user admin rights.")] = False,
) -> None:
    """Create a user; the password is read from standard input (first line)."""
    import asyncio

    from app.core.config import get_settings
    from app.core.db import make_engine, make_sessionmaker
    from app.core.errors import WorkspaceError
    from app.services.accounts import users

    password = sys.stdin.readline().rstrip("\n")

    async def run() -> None:
        engine = make_engine(get_settings().sqlalchemy_url)
        try:
            async with make_sessionmaker(engine)() as db:
                await users.create_user(db, username, password, is_admin=is_admin)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except WorkspaceError as exc:
        field = f"{exc.field}: " if exc.field else ""
        _output.warn(f"error: {field}{exc.detail}")
        raise typer.Exit(
            _errors.INVALID if exc.status_code in {409, 422} else _errors.FAILED
        ) from None
    _output.say(f"created user {username!r}" + (" (admin)" if is_admin else ""))
