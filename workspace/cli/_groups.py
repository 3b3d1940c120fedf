"""The root command's groups (`todo`, `nb`, …), each imported and built only when it runs.

typer builds every command of every group before it prints anything, and the root's help
needs no more of a group than its one line here; a group's module, its options and their
types are left unread until the group is used (run, its help, or completed into).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_command

# The root's settings, which a group built on its own does not inherit.
SETTINGS: dict[str, Any] = {
    "rich_markup_mode": None,  # plain help: rich costs more to import than all the rest
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}


def group_app() -> typer.Typer:
    """A group's typer app (its help is its line in GROUPS)."""
    return typer.Typer(no_args_is_help=True, add_completion=False, **SETTINGS)


@dataclass(frozen=True, slots=True)
class Group:
    module: str
    attribute: str  # the module's typer.Typer
    help: str

    def build(self, name: str) -> Any:
        app: typer.Typer = getattr(importlib.import_module(self.module), self.attribute)
        command = get_command(app)
        command.name, command.help = name, self.help
        return command


GROUPS = {
    "todo": Group("workspace.cli.todo", "app", "Todos: add, list, complete, edit, move, delete."),
    "nb": Group(
        "workspace.cli.nb", "app", "Notebook servers: create, start, stop, logs, open, run code."
    ),
    "token": Group("workspace.cli.token", "app", "API tokens: list, create, revoke."),
    "post": Group(
        "workspace.cli.post", "app", "Blog posts: new from Markdown, list, publish, delete."
    ),
    "admin": Group("workspace.cli.admin", "app", "Administration on the server's machine."),
}


class Root(TyperGroup):
    """The `workspace` command: its own commands, then the groups, built on first use.
    (Contexts and formatters are typed Any: they are of typer's private copy of click.)"""

    _listing = False  # formatting the root's help: a group needs only its line

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        group = GROUPS.get(cmd_name)
        if group is None:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return TyperGroup(name=cmd_name, help=group.help)
        return group.build(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False
