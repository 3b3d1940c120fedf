"""`workspace todo`: add in the quick-add syntax, list with the api's filters, change, clear."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from workspace.cli import _output
from workspace.cli._groups import group_app
from workspace.cli._session import client

if TYPE_CHECKING:
    from workspace._sync.client import Client
    from workspace._sync.todos import ListRef
    from workspace.models import TodoPublic

app = group_app()  # its help: workspace/cli/_groups.py

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ListOption = Annotated[
    str | None, typer.Option("--list", "-l", help="A list's name or id, or 'inbox'.")
]
COLUMNS = ("id", "title", "due", "priority", "tags", "done")


def list_ref(ws: Client, value: str | None) -> ListRef | None:
    """A list named by id, name or 'inbox', as the api's `list_id`."""
    from workspace.errors import NotFound, Problem

    if value is None:
        return None
    if value == "inbox":
        return "inbox"
    if value.isdigit():
        return int(value)
    found = ws.lists.find(value)
    if found is None:
        raise NotFound(404, [Problem("list", f"no list named {value!r}")])
    return found.id


def _list_id(ws: Client, value: str | None) -> int | None:
    ref = list_ref(ws, value)
    return ref if isinstance(ref, int) else None


def _row(todo: TodoPublic) -> list[object]:
    due = todo.due.isoformat() if todo.due else ""
    priority = "" if todo.priority == "none" else todo.priority.value
    tags = " ".join(f"#{t}" for t in todo.tags)
    return [todo.id, todo.title, due, priority, tags, "yes" if todo.completed else ""]


def _show(todos: list[TodoPublic], as_json: bool) -> None:
    if as_json:
        _output.emit_json(todos[0] if len(todos) == 1 else todos)
    else:
        _output.rows(COLUMNS, [_row(t) for t in todos])


@app.command()
def add(
    text: Annotated[list[str], typer.Argument(help='E.g. "Buy milk #home !high due:tomorrow".')],
    list_name: ListOption = None,
    as_json: Json = False,
) -> None:
    """Add a todo; #tag, !high/!medium/!low and due:today|tomorrow|YYYY-MM-DD set those fields."""
    with client() as ws:
        todo = ws.todos.quick_add(" ".join(text), list_id=_list_id(ws, list_name))
    if as_json:
        _output.emit_json(todo)
    else:
        _output.say(f"added {todo.id}: {todo.title}")


@app.command("ls")
def list_todos(
    list_name: ListOption = None,
    done: Annotated[
        bool | None, typer.Option("--done/--open", help="Only completed, or only open todos.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Repeatable.")] = None,
    due_before: Annotated[str | None, typer.Option(help="YYYY-MM-DD or a datetime.")] = None,
    due_after: Annotated[str | None, typer.Option(help="YYYY-MM-DD or a datetime.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Open and past due.")] = False,
    search: Annotated[
        str | None, typer.Option("--search", "-q", help="Text in title or notes.")
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            help="order, due, priority, created_at, updated_at, title; a leading - reverses."
        ),
    ] = "order",
    limit: Annotated[int, typer.Option(help="At most this many (the api's page size).")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    as_json: Json = False,
) -> None:
    """List todos matching every filter given."""
    with client() as ws:
        page = ws.todos.list(
            list_id=list_ref(ws, list_name),
            completed=done,
            tag=tag,
            due_before=due_before,
            due_after=due_after,
            overdue=True if overdue else None,
            q=search,
            sort=sort,
            limit=limit,
            offset=offset,
        )
    if as_json:
        _output.emit_json(page)
        return
    _output.rows(COLUMNS, [_row(t) for t in page.data], empty="no todos")
    if _output.is_tty() and page.count > len(page.data):
        _output.say(f"{len(page.data)} of {page.count} (--limit, --offset)", style="dim")


@app.command()
def done(
    ids: Annotated[list[int], typer.Argument(help="Todo ids.")],
    undo: Annotated[bool, typer.Option("--undo", help="Mark as not done.")] = False,
    as_json: Json = False,
) -> None:
    """Mark todos as done (or not, with --undo)."""
    from workspace.models import TodoUpdate

    with client() as ws:
        todos = [ws.todos.update(i, TodoUpdate(completed=not undo)) for i in ids]
    _show(todos, as_json)


@app.command()
def edit(
    todo_id: Annotated[int, typer.Argument(help="The todo's id.")],
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    notes: Annotated[str | None, typer.Option(help="Markdown; '' clears.")] = None,
    due: Annotated[str | None, typer.Option(help="YYYY-MM-DD, a datetime, or 'none'.")] = None,
    priority: Annotated[str | None, typer.Option(help="none, low, medium or high.")] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Replaces the tags; repeatable.")
    ] = None,
    no_tags: Annotated[bool, typer.Option("--no-tags", help="Remove every tag.")] = False,
    as_json: Json = False,
) -> None:
    """Change a todo's fields (only those given)."""
    fields: dict[str, object] = {}
    if title is not None:
        fields["title"] = title
    if notes is not None:
        fields["notes"] = notes
    if due is not None:
        fields["due"] = None if due.lower() == "none" else due
    if priority is not None:
        fields["priority"] = priority
    if tag or no_tags:
        fields["tags"] = [] if no_tags else tag
    if not fields:
        raise typer.BadParameter("nothing to change: give --title, --notes, --due, ...")
    with client() as ws:  # sent as given: the api checks each value and names the field
        todo = ws.todos.update(todo_id, fields)
    _show([todo], as_json)


@app.command("mv")
def move(
    todo_id: Annotated[int, typer.Argument(help="The todo's id.")],
    list_name: ListOption = None,
    position: Annotated[
        int | None, typer.Option("--position", "-p", help="0-based place in the list.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Move a todo to another list (at its end) and/or to a position."""
    if list_name is None and position is None:
        raise typer.BadParameter("give --list and/or --position")
    with client() as ws:
        ref = list_ref(ws, list_name)
        if position is None:
            target = None if ref == "inbox" else ref
            todo = ws.todos.update(todo_id, {"list_id": target})
        else:
            todo = ws.todos.move(todo_id, position, list_id=ref)
    _show([todo], as_json)


@app.command("rm")
def remove(ids: Annotated[list[int], typer.Argument(help="Todo ids.")]) -> None:
    """Delete todos."""
    with client() as ws:
        for todo_id in ids:
            ws.todos.delete(todo_id)
    _output.say(f"deleted {len(ids)}")


@app.command()
def clear(list_name: ListOption = None, as_json: Json = False) -> None:
    """Delete the completed todos (of one list with --list)."""
    with client() as ws:
        result = ws.todos.delete_many(completed=True, list_id=list_ref(ws, list_name))
    if as_json:
        _output.emit_json(result)
    else:
        _output.say(f"cleared {result.deleted}")
