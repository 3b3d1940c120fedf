"""`workspace serve`: the api itself, on the server's machine with its configuration; the
server's code is imported only when it runs (its administration: workspace/cli/admin.py)."""

from __future__ import annotations

from typing import Annotated

import typer


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
