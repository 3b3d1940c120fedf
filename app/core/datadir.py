"""The data directory is its owner's alone: the directory and everything under it 0700 /
0600, whatever the process's umask, and files made later owner-only too.

It holds the SQLite database, the embedded Redis's data, logs and the first-run admin
password: nothing another local account should read.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY_UMASK = 0o077


def owner_only_files() -> None:
    """Files and directories this process creates from now on are its owner's only."""
    os.umask(OWNER_ONLY_UMASK)


def secure(data_dir: Path) -> None:
    """Create the directory if need be and close it and its contents to everyone else."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    uid = os.getuid()
    for path in (data_dir, *data_dir.rglob("*")):
        try:
            info = path.lstat()
        except FileNotFoundError:  # gone meanwhile (a journal file, say)
            continue
        if path.is_symlink() or info.st_uid != uid:
            continue  # not ours to change
        wanted = 0o700 if path.is_dir() else 0o600
        if info.st_mode & 0o777 != wanted:
            os.chmod(path, wanted)


def write_secret(path: Path, text: str) -> None:
    """Write a file readable by its owner only, from the first byte (no window in which a
    more open mode applies)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        os.fchmod(file.fileno(), 0o600)  # an existing file keeps its mode through O_CREAT
        file.write(text)
