"""`workspace admin backup DIR` and `workspace admin restore DIR`: on the server's machine,
with the server's settings (the same WORKSPACE_* and DATABASE_URL as `workspace serve`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from workspace.cli import _errors, _output

if TYPE_CHECKING:
    from app.backup.manifest import Manifest

Directory = Annotated[Path, typer.Argument(metavar="DIR", help="The backup's directory.")]


def _run(step: Callable[[], Coroutine[Any, Any, Manifest]]) -> Manifest:
    import asyncio

    import aiodocker
    from sqlalchemy.exc import SQLAlchemyError

    from app.backup.manifest import BackupError

    try:
        return asyncio.run(step())
    except BackupError as exc:
        problem = str(exc)
    except aiodocker.DockerError as exc:
        problem = f"the Docker engine refused: {exc.message}"
    except SQLAlchemyError as exc:
        problem = f"the database refused: {exc}".splitlines()[0]
    except OSError as exc:
        problem = str(exc)
    _output.warn(f"error: {problem}")
    raise typer.Exit(_errors.FAILED)


def backup(directory: Directory) -> None:
    """Back up the database and every notebook volume into DIR (new or empty).

    A running notebook is paused for the copy of its volume, and unpaused right after."""
    from app.backup import operations
    from app.core.config import get_settings

    manifest = _run(lambda: operations.backup(get_settings(), directory, _output.say))
    total = sum(f.size for f in manifest.files())
    _output.say(
        f"backed up into {directory}: the database and {len(manifest.volumes)} volumes, "
        f"{operations.human(total)}",
        style="green",
    )


def restore(
    directory: Directory,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a target that is not empty: its database's contents, and this "
            "instance's notebook containers and volumes on the engine.",
        ),
    ] = False,
) -> None:
    """Restore a backup onto this installation (stop WorkSpace first).

    Refused, with nothing changed, when the backup is incomplete or damaged, when its schema
    is newer than this WorkSpace, or when the target is not empty (without --force). An older
    schema is migrated up. Notebooks that were running start again when the worker starts."""
    from app.backup import operations
    from app.core.config import get_settings

    manifest = _run(
        lambda: operations.restore(get_settings(), directory, force=force, say=_output.say)
    )
    _output.say(
        f"restored {directory} (made {manifest.created_at:%Y-%m-%d %H:%M} UTC): start WorkSpace",
        style="green",
    )
