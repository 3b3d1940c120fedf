"""The server side: `workspace serve` and `workspace admin …`, run on the server's own machine
with its configuration (they use the database directly). Server code is imported only when one
of them runs."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from workspace.cli import _errors, _output, backup
from workspace.cli._groups import group_app

admin = group_app()  # its help: workspace/cli/_groups.py
admin.command()(backup.backup)
admin.command()(backup.restore)


@admin.command("create-user")
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
    ws: Annotated[
        str | None, typer.Option(hidden=True, help="uvicorn's WebSocket protocol.")
    ] = None,
) -> None:
    """Serve the api and the dashboard (migrate the database first: `alembic upgrade head`)."""
    from app import server
    from app.core.config import get_settings

    server.serve(
        get_settings(),
        host=host,
        port=port,
        workers=workers or server.default_workers(),
        log_level=log_level,
        ws=ws or server.FEED_PROTOCOL,
    )
