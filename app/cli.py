"""The `workspace` command: administration from the shell."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from app.core.config import get_settings
from app.core.db import make_engine, make_sessionmaker
from app.core.errors import WorkspaceError
from app.services.accounts import users

cli = typer.Typer(help="WorkSpace administration.", no_args_is_help=True)


@cli.command("create-user")
def create_user(
    username: str,
    admin: Annotated[bool, typer.Option("--admin", help="Give the user admin rights.")] = False,
) -> None:
    """Create a user; the password is read from standard input (first line)."""
    password = sys.stdin.readline().rstrip("\n")

    async def run() -> None:
        engine = make_engine(get_settings().sqlalchemy_url)
        try:
            async with make_sessionmaker(engine)() as db:
                await users.create_user(db, username, password, is_admin=admin)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except WorkspaceError as exc:
        field = f"{exc.field}: " if exc.field else ""
        typer.echo(f"error: {field}{exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created user {username!r}" + (" (admin)" if admin else ""))


@cli.command("version")
def version() -> None:
    """Print the version."""
    typer.echo("workspace 0.1.0")


def main() -> None:
    cli()
