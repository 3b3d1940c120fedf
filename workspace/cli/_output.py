"""What the commands print: a rich table on a terminal, tab-separated rows otherwise (no
colour, no header: for `cut` and `awk`), JSON with --json."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.console import Console


def is_tty() -> bool:
    return sys.stdout.isatty()


_console: Console | None = None
_errors: Console | None = None


def console() -> Console:
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(highlight=False)
    return _console


def error_console() -> Console:
    global _errors
    if _errors is None:
        from rich.console import Console

        _errors = Console(stderr=True, highlight=False)
    return _errors


def as_json(value: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> str:
    from pydantic import BaseModel, TypeAdapter

    if isinstance(value, BaseModel):
        return value.model_dump_json(indent=2)
    if isinstance(value, dict):
        import json  # not for help

        return json.dumps(value, indent=2, default=str)
    return TypeAdapter(list[Any]).dump_json(list(value), indent=2).decode()


def emit_json(value: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    sys.stdout.write(as_json(value) + "\n")


def rows(columns: Sequence[str], data: Sequence[Sequence[object]], *, empty: str = "") -> None:
    """A table on a terminal; otherwise one tab-separated line per row."""
    cells = [["" if v is None else str(v) for v in row] for row in data]
    if not is_tty():
        for row in cells:
            sys.stdout.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in row))
            sys.stdout.write("\n")
        return
    if not cells:
        if empty:
            console().print(f"[dim]{empty}[/dim]")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in cells:
        table.add_row(*row, style=None)
    console().print(table)


def say(text: str, *, style: str | None = None) -> None:
    """A message for the person (on stdout): styled on a terminal, plain otherwise."""
    if is_tty():
        from rich.markup import escape

        console().print(f"[{style}]{escape(text)}[/{style}]" if style else escape(text))
    else:
        sys.stdout.write(text + "\n")


def warn(text: str) -> None:
    sys.stderr.write(text + "\n")
