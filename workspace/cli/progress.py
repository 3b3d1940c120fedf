"""A notebook's way to its goal, phase by phase, each timed, as the live feed tells it.

On a terminal: a rich live display (a spinner on the current phase, its time running).
Otherwise: one line per phase as it ends, `status<TAB>seconds`, and the final one.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from workspace.cli import _output

if TYPE_CHECKING:
    from rich.console import RenderableType

    from workspace.models import NotebookPublic

START_PHASES = ("pending", "creating", "starting", "healthy")
STOP_PHASES = ("stopping", "stopped")
REMOVE_PHASES = ("stopping", "removed")


class Phases:
    """Statuses in the order seen, with the time each began (monotonic)."""

    def __init__(self, name: str, expected: Sequence[str], *, quiet: bool = False) -> None:
        self.name = name
        # Plain lines only off a terminal, and never among JSON output.
        self.lines = not quiet and not _output.is_tty()
        self.expected = list(expected)
        self.seen: list[tuple[str, float]] = []
        self.reason: str | None = None
        self.finished: float | None = None
        self._lock = threading.Lock()

    def __call__(self, notebook: NotebookPublic) -> None:
        """The feed's callback: a new status starts a phase (the previous one ends)."""
        with self._lock:
            status = notebook.status.value
            if self.seen and self.seen[-1][0] == status:
                return
            now = time.monotonic()
            if self.seen and self.lines:
                last, began = self.seen[-1]
                sys.stdout.write(f"{last}\t{now - began:.1f}\n")
                sys.stdout.flush()
            self.seen.append((status, now))
            self.reason = notebook.status_reason

    def finish(self) -> None:
        with self._lock:
            self.finished = time.monotonic()
            if self.seen and self.lines:
                total = self.finished - self.seen[0][1]
                sys.stdout.write(f"{self.seen[-1][0]}\t{total:.1f} total\n")

    def durations(self) -> list[tuple[str, float, bool]]:
        """(status, seconds, still running) for each phase seen."""
        with self._lock:
            now = self.finished or time.monotonic()
            out = []
            for i, (status, began) in enumerate(self.seen):
                ended = self.seen[i + 1][1] if i + 1 < len(self.seen) else None
                final = ended is None and self.finished is not None
                out.append((status, (ended or now) - began, ended is None and not final))
            return out

    def __rich__(self) -> RenderableType:
        from rich.spinner import Spinner
        from rich.table import Table
        from rich.text import Text

        table = Table.grid(padding=(0, 2))
        rows = self.durations()
        seen = [status for status, _, _ in rows]
        for i, (status, seconds, running) in enumerate(rows):
            failed = status == "error"
            mark: RenderableType = (
                Spinner("dots", style="cyan")
                if running
                else Text("✗" if failed else "✓", style="red" if failed else "green")
            )
            # The goal reached is a state, not a phase: it has no duration.
            label = "" if i == len(rows) - 1 and not running else f"{seconds:5.1f}s"
            table.add_row(mark, Text(status, style="bold" if running else ""), label)
        for status in self.expected:
            if status not in seen:
                table.add_row(Text("·", style="dim"), Text(status, style="dim"), "")
        return table


@contextmanager
def shown(phases: Phases) -> Iterator[Phases]:
    """Show the phases while the block waits; the display stays on screen after."""
    if not _output.is_tty():
        try:
            yield phases
        finally:
            phases.finish()
        return
    from rich.live import Live

    with Live(phases, console=_output.console(), refresh_per_second=12, transient=False):
        try:
            yield phases
        finally:
            phases.finish()
