"""A lock file of this host, held while a block runs: for what has fixed names or removes
everything of a name, so that two runs of it on one machine must not overlap."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


class Held(RuntimeError):
    pass


@contextlib.contextmanager
def exclusive(path: Path, what: str) -> Iterator[None]:
    """Hold `path` until exit; `Held` at once, naming `what`, if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Held(f"another {what} holds {path}") from None
        yield
