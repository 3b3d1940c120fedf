"""`backup` and `restore`: the order of the steps, and what is checked before anything changes.

A backup copies the volumes first and the database last: every volume in it then belongs to a
notebook the database already had. Volumes go back under their notebook's random key and
owner, so no other notebook of the restored installation is ever given one. A restore
refuses, having changed nothing, when the backup is incomplete or damaged, its schema is
newer than this code, or the target is not empty (without `force`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import aiodocker

from app.backup import database
from app.backup.manifest import (
    BackupError,
    DatabasePart,
    Manifest,
    VolumePart,
    check,
    digest_file,
    read,
    write,
)
from app.backup.volumes import Volumes, check_archive, docker_client
from app.core.config import Settings
from app.core.time import utcnow

Say = Callable[[str], None]
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{n} {table}" for table, n in rows.items())


def _check_directory(root: Path) -> None:
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BackupError(f"{root} exists and is not an empty directory: name a new one")


def _make_directory(root: Path) -> bool:
    """Owner-only (it holds password hashes and everyone's files); True when it was new."""
    _check_directory(root)
    created = not root.exists()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return created


def _discard(root: Path, *, created: bool) -> None:
    """What a failed backup wrote: without its manifest it would only mislead."""
    if created:
        shutil.rmtree(root, ignore_errors=True)
        return
    for child in root.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


async def backup(settings: Settings, root: Path, say: Say) -> Manifest:
    _check_directory(root)
    url = settings.sqlalchemy_url
    kind = database.kind_of(url)
    database.require(url)
    try:
        revision, rows = await database.contents(url)
    except BackupError:
        raise
    except Exception as exc:
        raise BackupError(f"cannot read the database: {exc}") from None
    if revision is None:
        raise BackupError("the database has no WorkSpace tables (`make migrate` makes them)")
    created = _make_directory(root)
    docker = docker_client(settings)
    try:
        volumes = await _export_volumes(settings, docker, root, rows, say)
        dump = DUMP_FILES[kind]
        await database.dump(url, root / dump)
        (root / dump).chmod(0o600)
        entry = digest_file(root, dump)
        say(f"database ({kind}, schema {revision}): {_counts(rows)}; {human(entry.size)}")
        manifest = Manifest(
            workspace_version=version("workspace"),
            created_at=utcnow(),
            instance=settings.instance,
            database=DatabasePart(kind=kind, schema_revision=revision, file=entry, rows=rows),
            volumes=volumes,
        )
        write(root, manifest)
    except BaseException:
        _discard(root, created=created)
        raise
    finally:
        await docker.close()
    return manifest


async def _export_volumes(
    settings: Settings, docker: aiodocker.Docker, root: Path, rows: dict[str, int], say: Say
) -> list[VolumePart]:
    engine = Volumes(docker, settings)
    try:
        await engine.ping()
    except BackupError:
        if rows.get("notebooks", 0):
            raise
        say("no Docker engine answers and there are no notebooks: the backup has no volumes")
        return []
    found = await engine.ours()
    if not found:
        return []
    image = await engine.helper_image()
    parts: list[VolumePart] = []
    for notebook, (name, owner_id) in sorted(found.items()):
        relative = f"volumes/nb-{notebook}.tar"
        entry, paused = await engine.export(image, name, root, relative)
        parts.append(
            VolumePart(notebook=notebook, owner_id=owner_id, volume=name, paused=paused, file=entry)
        )
        note = " (paused for the copy)" if paused else ""
        say(f"volume {name}: {human(entry.size)}{note}")
    return parts


async def restore(settings: Settings, root: Path, *, force: bool, say: Say) -> Manifest:
    manifest = read(root)
    url = settings.sqlalchemy_url
    kind = database.kind_of(url)
    part = manifest.database
    if part.kind != kind:
        raise BackupError(
            f"the backup holds a {part.kind} database and this WorkSpace uses {kind}: restore "
            f"it onto a {part.kind} installation"
        )
    known, head = database.known_revisions(url)
    if part.schema_revision not in known:
        raise BackupError(
            f"the backup's schema revision {part.schema_revision!r} is newer than this "
            f"WorkSpace's ({head!r}): restore it with the version that made it "
            f"({manifest.workspace_version}) or a newer one"
        )
    say(f"checking {len(manifest.files())} files against the manifest")
    dump = root / part.file.path
    check(root, part.file, digest_file(root, part.file.path))
    await database.check_dump(kind, dump)
    for volume in manifest.volumes:
        check_archive(root, volume.file)

    docker = docker_client(settings)
    try:
        engine = Volumes(docker, settings)
        engine_up = await _engine_up(engine, manifest)
        image = await engine.helper_image() if manifest.volumes else ""
        await _check_target(settings, engine, url, force=force, engine_up=engine_up)
        if force and engine_up:
            await engine.remove_all()
        for volume in manifest.volumes:
            name = await engine.import_(image, volume, root / volume.file.path)
            say(f"volume {name}: {human(volume.file.size)}")
    finally:
        await docker.close()
    await database.load(url, dump)
    if part.schema_revision != head:
        say(f"migrating the schema from {part.schema_revision} to {head}")
        await database.migrate(url)
    await database.settle_notebooks(url)
    say(f"database ({kind}): {_counts(part.rows)}")
    return manifest


async def _engine_up(engine: Volumes, manifest: Manifest) -> bool:
    """Whether the engine answers; it must when the backup has volumes."""
    try:
        await engine.ping()
    except BackupError:
        if manifest.volumes:
            raise
        return False
    return True


async def _check_target(
    settings: Settings, engine: Volumes, url: str, *, force: bool, engine_up: bool
) -> None:
    """Empty (or `force`), and on PostgreSQL nobody else connected."""
    try:
        _, rows = await database.contents(url)
    except BackupError:
        raise
    except Exception as exc:
        raise BackupError(f"cannot read the target database: {exc}") from None
    held = []
    if any(rows.values()):
        held.append(f"its database has {_counts(rows)}")
    if engine_up:
        volumes, containers = await engine.ours(), await engine.containers()
        if volumes or containers:
            held.append(
                f"the Docker engine has {len(volumes)} volumes and {len(containers)} "
                f"containers of instance {settings.instance!r}"
            )
    if held and not force:
        raise BackupError(
            f"the target is not empty: {'; '.join(held)}. A restore replaces all of it: "
            "stop WorkSpace and run again with --force"
        )
    if in_use := await database.other_connections(url):
        raise BackupError(
            f"{in_use} other sessions are connected to the target database: stop WorkSpace "
            "(its api and worker) and anything else using it, then restore"
        )
