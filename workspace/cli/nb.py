"""`workspace nb`: notebook servers from the terminal, with their progress live."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from workspace.cli import _output
from workspace.cli._groups import group_app
from workspace.cli._session import client
from workspace.cli.progress import REMOVE_PHASES, START_PHASES, STOP_PHASES, Phases, shown

if TYPE_CHECKING:
    from workspace.models import NotebookPublic

app = group_app()  # its help: workspace/cli/_groups.py

Name = Annotated[str, typer.Argument(help="The notebook's name (or id).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Timeout = Annotated[float, typer.Option(help="Seconds to wait at most.")]
COLUMNS = ("id", "name", "status", "image", "cpus", "memory", "reason")


def _ref(name: str) -> int | str:
    return int(name) if name.isdigit() else name


def _row(nb: NotebookPublic) -> list[object]:
    reason = nb.status_reason or ""
    return [nb.id, nb.name, nb.status.value, nb.image, f"{nb.cpus:g}", f"{nb.memory_mb} MB", reason]


def _done(nb: NotebookPublic, as_json: bool) -> None:
    if as_json:
        _output.emit_json(nb)
    else:
        _output.say(
            f"{nb.name}: {nb.status.value}" + (f" ({nb.status_reason})" if nb.status_reason else "")
        )


def _waiting(
    name: str, phases: Sequence[str], act: Callable[[Phases], NotebookPublic], as_json: bool
) -> None:
    """Run `act` (which waits on the live feed) with the phases shown as they happen."""
    progress = Phases(name, phases, quiet=as_json)
    if as_json:  # JSON on stdout is the final row only
        _output.emit_json(act(progress))
        return
    with shown(progress):
        act(progress)


def memory_mb(value: str) -> int:
    """`512`, `512m`, `2g` → megabytes."""
    text = value.strip().lower().removesuffix("b")
    factor = 1024 if text.endswith("g") else 1
    number = text.rstrip("gm")
    if not number.isdigit():
        raise typer.BadParameter(f"{value!r}: give megabytes, e.g. 512, 512m or 2g")
    return int(number) * factor


def env_pairs(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    pairs: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r}: give NAME=VALUE")
        pairs[name] = value
    return pairs


@app.command("ls")
def list_notebooks(as_json: Json = False) -> None:
    """List your notebook servers."""
    with client() as ws:
        notebooks = ws.notebooks.list()
    if as_json:
        _output.emit_json(notebooks)
    else:
        _output.rows(COLUMNS, [_row(n) for n in notebooks.data], empty="no notebooks")


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="Lowercase letters, digits and dashes.")],
    image: Annotated[str | None, typer.Option(help="One of the server's images.")] = None,
    cpus: Annotated[float | None, typer.Option(help="CPU cores.")] = None,
    memory: Annotated[str | None, typer.Option(help="Memory: 512, 512m or 2g.")] = None,
    env: Annotated[
        list[str] | None, typer.Option("--env", "-e", help="NAME=VALUE; repeatable.")
    ] = None,
    idle_timeout: Annotated[
        float | None, typer.Option(help="Minutes idle before it stops (0: never).")
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Wait until healthy, showing each phase.")
    ] = True,
    timeout: Timeout = 600,
    as_json: Json = False,
) -> None:
    """Create and start a notebook server; by default wait until it is healthy."""
    from workspace.models import NotebookCreate

    fields: dict[str, object] = {"name": name}
    for key, value in {
        "image": image,
        "cpus": cpus,
        "memory_mb": memory_mb(memory) if memory else None,
        "env": env_pairs(env),
        "idle_timeout_minutes": idle_timeout,
    }.items():
        if value is not None:
            fields[key] = value
    body = NotebookCreate.model_validate(fields)
    with client() as ws:
        if not wait:
            _done(ws.notebooks.create(body), as_json)
            return

        def act(progress: Phases) -> NotebookPublic:
            return ws.notebooks.create(body, wait=True, timeout=timeout, on_change=progress)

        _waiting(name, START_PHASES, act, as_json)


def _lifecycle(
    verb: str, name: str, wait: bool, timeout: float, as_json: bool, phases: Sequence[str]
) -> None:
    with client() as ws:
        act_on = getattr(ws.notebooks, verb)
        if not wait:
            _done(act_on(_ref(name)), as_json)
            return
        _waiting(
            name,
            phases,
            lambda p: act_on(_ref(name), wait=True, timeout=timeout, on_change=p),
            as_json,
        )


Wait = Annotated[bool, typer.Option("--wait", help="Wait until it gets there, showing each phase.")]


@app.command()
def start(name: Name, wait: Wait = False, timeout: Timeout = 600, as_json: Json = False) -> None:
    """Start a stopped notebook server."""
    _lifecycle("start", name, wait, timeout, as_json, START_PHASES)


@app.command()
def stop(name: Name, wait: Wait = False, timeout: Timeout = 600, as_json: Json = False) -> None:
    """Stop a notebook server (its files stay)."""
    _lifecycle("stop", name, wait, timeout, as_json, STOP_PHASES)


@app.command()
def restart(name: Name, wait: Wait = False, timeout: Timeout = 600, as_json: Json = False) -> None:
    """Restart with the current configuration."""
    _lifecycle("restart", name, wait, timeout, as_json, ("stopping", *START_PHASES))


@app.command("rm")
def remove(
    name: Name,
    purge: Annotated[bool, typer.Option("--purge", help="Delete its volume (files) too.")] = False,
    wait: Wait = False,
    timeout: Timeout = 600,
    as_json: Json = False,
) -> None:
    """Delete a notebook server; its volume is kept unless --purge."""
    with client() as ws:
        if not wait:
            deleting = ws.notebooks.delete(_ref(name), purge=purge)
            if as_json:
                _output.emit_json(deleting)
            else:  # its status is still where it was: the deletion has only begun
                files = "with its files" if purge else "its files kept"
                _output.say(f"{deleting.name}: being deleted, {files}")
            return

        def act(progress: Phases) -> NotebookPublic:
            return ws.notebooks.delete(
                _ref(name), purge=purge, wait=True, timeout=timeout, on_change=progress
            )

        _waiting(name, REMOVE_PHASES, act, as_json)


@app.command()
def logs(
    name: Name,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new lines.")
    ] = False,
    tail: Annotated[int, typer.Option(help="Lines from the end.")] = 200,
) -> None:
    """Print the server's log (its last lines; -f follows)."""
    with client() as ws:
        if not follow:
            sys.stdout.write(ws.notebooks.logs(_ref(name), tail=tail))
            return
        for line in ws.notebooks.follow_logs(_ref(name), tail=tail):
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def _has_browser() -> bool:
    """A graphical browser can open: never a text one taking over this terminal."""
    if sys.platform in {"darwin", "win32"}:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@app.command("open")
def open_notebook(
    name: Name,
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open it in a browser if there is one.")
    ] = True,
) -> None:
    """Print the notebook's address, and open it in a browser when there is one."""
    with client() as ws:
        nb = ws.notebooks.get(_ref(name))
        url = f"{ws.url}{nb.url}"  # the dashboard's Open: it hands the browser over
    sys.stdout.write(url + "\n")
    if browser and _output.is_tty() and _has_browser():
        import webbrowser

        webbrowser.open(url)


@app.command()
def run(
    name: Name,
    code: Annotated[str, typer.Argument(help="Python code; '-' reads it from standard input.")],
    timeout: Annotated[float, typer.Option(help="Seconds the code may run.")] = 60,
    as_json: Json = False,
) -> None:
    """Run code in a new kernel of the notebook and print what it printed and returned."""
    from dataclasses import asdict

    from workspace.errors import KernelError

    source = sys.stdin.read() if code == "-" else code
    with client() as ws:
        out = ws.notebooks.run(_ref(name), source, timeout=timeout, check=False)
    if as_json:
        data = asdict(out)
        data.pop("idle", None)
        _output.emit_json(data)
    else:
        sys.stdout.write(out.stdout)
        sys.stderr.write(out.stderr)
        for text in [*out.display, *([out.result] if out.result is not None else [])]:
            sys.stdout.write(text + "\n")
    if out.error is not None:
        error = KernelError(
            out.error.get("ename", "Error"),
            out.error.get("evalue", ""),
            list(out.error.get("traceback", [])),
        )
        if not as_json:
            _print_traceback(error.traceback)
        raise error


def _print_traceback(lines: list[str]) -> None:
    import re

    text = "\n".join(lines)
    if not sys.stderr.isatty():
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # the kernel colours it
    sys.stderr.write(text + "\n")
