"""The `workspace` command.

It starts fast: the command modules import only typer at the top, and the client (httpx,
pydantic) or the server's code (for `admin` and `serve`) when a command runs; a group of
commands (`todo`, `nb`, …) is imported and built only when it is used (workspace/cli/_groups.py).
Help is plain text for the same reason: typer's rich help costs more to import than
everything else.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from workspace.cli import auth, server
from workspace.cli._errors import EPILOG, INTERRUPTED
from workspace.cli._groups import SETTINGS, Root
from workspace.cli._session import options

app = typer.Typer(
    cls=Root,  # the groups (todo, nb, …) after these commands, imported when used
    name="workspace",
    help="WorkSpace from the terminal: todos, notebooks, posts, tokens; and `serve`, the api "
    "itself. "
    "Sign in first: workspace login.",
    epilog=EPILOG,
    no_args_is_help=True,
    **SETTINGS,
)


@app.callback()
def _root(
    url: Annotated[
        str | None,
        typer.Option(
            "--url", envvar="WORKSPACE_URL", help="WorkSpace's address (default: the saved one)."
        ),
    ] = None,
) -> None:
    options.url = url


app.command()(auth.login)
app.command()(auth.logout)
app.command()(auth.whoami)
app.command()(server.serve)


@app.command()
def version() -> None:
    """Print the version."""
    from importlib.metadata import version as installed

    sys.stdout.write(f"workspace {installed('workspace')}\n")


def _skip_httpx_cli() -> None:
    """httpx imports its own command-line tool (click, rich, pygments) on `import httpx`
    whenever those are installed, as they are here; this command never uses it. httpx
    guards that import with `except ImportError`, so marking the module absent skips it."""
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def main() -> None:
    _skip_httpx_cli()
    try:
        app(prog_name="workspace")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(INTERRUPTED)
    except Exception as exc:
        # The client's errors are imported by the commands that can raise them, not for help.
        errors = sys.modules.get("workspace.errors")
        if errors is None or not isinstance(exc, errors.WorkspaceError):
            raise
        from workspace.cli._errors import exit_code, message

        sys.stdout.flush()
        sys.stderr.write(f"error: {message(exc)}\n")
        sys.exit(exit_code(exc))
