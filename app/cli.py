"""The `workspace` command: serving the api and administration from the shell."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from app import server
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


@cli.command("serve")
def serve(
    host: Annotated[str, typer.Option(envvar="WORKSPACE_HOST", help="Address to listen on.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(envvar="WORKSPACE_PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            envvar="WEB_CONCURRENCY", help="api processes (default: one per core, at most 4)."
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn's log level.")] = "info",
    ws: Annotated[str, typer.Option(hidden=True, help="uvicorn's WebSocket protocol.")] = (
        server.FEED_PROTOCOL
    ),
) -> None:
    """Serve the api and the dashboard (migrate the database first: `alembic upgrade head`)."""
    server.serve(
        get_settings(),
        host=host,
        port=port,
        workers=workers or server.default_workers(),
        log_level=log_level,
        ws=ws,
    )


@cli.command("version")
def version() -> None:
    """Print the version."""
    typer.echo("workspace 0.1.0")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
