"""The manifest: what a backup holds, with a size and a SHA-256 digest per file.

Restore reads every file against it before it changes anything, so a truncated or altered
backup is refused whole.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

FORMAT = 1
NAME = "manifest.json"
UPLOADS = "post images are rows of the database; nothing is uploaded outside it"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on: the message says why, and what to do."""


class FileEntry(BaseModel):
    path: str  # relative to the backup directory
    size: int
    sha256: str


class DatabasePart(BaseModel):
    kind: Literal["sqlite", "postgresql"]
    schema_revision: str
    file: FileEntry
    rows: dict[str, int]  # a few tables' row counts, for people reading the manifest


class VolumePart(BaseModel):
    notebook_id: int
    volume: str  # its name on the engine it came from
    # The notebook's container was running, and was paused for the copy.
    paused: bool
    file: FileEntry


class Manifest(BaseModel):
    format: int = FORMAT
    workspace_version: str
    created_at: datetime
    instance: str
    database: DatabasePart
    volumes: list[VolumePart] = Field(default_factory=list)
    uploads: str = UPLOADS

    def files(self) -> list[FileEntry]:
        return [self.database.file, *(v.file for v in self.volumes)]


class Hasher:
    """A digest and a byte count, fed as the data goes by."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self.digest.update(chunk)
        self.size += len(chunk)

    def entry(self, path: str) -> FileEntry:
        return FileEntry(path=path, size=self.size, sha256=self.digest.hexdigest())


def digest_file(root: Path, relative: str) -> FileEntry:
    hasher = Hasher()
    with (root / relative).open("rb") as f:
        while chunk := f.read(CHUNK):
            hasher.update(chunk)
    return hasher.entry(relative)


def write(root: Path, manifest: Manifest) -> None:
    path = root / NAME
    path.write_text(manifest.model_dump_json(indent=2) + "\n")
    path.chmod(0o600)


def read(root: Path) -> Manifest:
    path = root / NAME
    if not root.is_dir():
        raise BackupError(f"{root} is not a directory")
    if not path.is_file():
        raise BackupError(f"{root} is not a complete backup: it has no {NAME}")
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        raise BackupError(f"{path} is not a WorkSpace backup manifest: {reason}") from None
    if manifest.format != FORMAT:
        raise BackupError(
            f"{path} has backup format {manifest.format}; this WorkSpace reads format {FORMAT}"
        )
    for entry in manifest.files():
        inside = (root / entry.path).resolve()
        if not inside.is_relative_to(root.resolve()):
            raise BackupError(f"{path} names a file outside the backup: {entry.path!r}")
    return manifest


def check(root: Path, entry: FileEntry, got: FileEntry) -> None:
    """`got`: what reading the file found."""
    if got.size != entry.size:
        raise BackupError(
            f"{entry.path}: {got.size} bytes where the manifest says {entry.size} "
            "(truncated or altered): the backup is damaged"
        )
    if got.sha256 != entry.sha256:
        raise BackupError(f"{entry.path}: its SHA-256 does not match the manifest: damaged")
