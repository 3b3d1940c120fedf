"""What a restore refuses, having changed nothing: an incomplete, truncated or altered backup,
one whose schema is newer than the code, a non-empty target; and an older schema migrated up."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import aiodocker
import asyncpg
import pytest
from alembic import command

from app.backup import database
from app.backup.manifest import BackupError, digest_file
from app.backup.operations import backup, restore
from app.backup.volumes import Volumes
from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from tests.backup.conftest import volume_files, workspace_admin
from tests.support.databases import database_url, drop_database, fresh_database
from tests.support.environment import INSTANCE, PASSWORD, PG_ADMIN_URL, PG_TEST_DB, TEST_IMAGE
from tests.support.stack import remove_instance_resources


def quiet(_: str) -> None:
    pass


async def make_volume(docker: aiodocker.Docker, notebook_id: int, files: dict[str, bytes]) -> str:
    """A notebook volume of this instance holding `files`, written as the notebook user."""
    name = f"{INSTANCE}-nb-{notebook_id}"
    labels = {"workspace.instance": INSTANCE, "workspace.notebook_id": str(notebook_id)}
    await docker.volumes.create({"Name": name, "Labels": labels})
    container = await docker.containers.create(
        {
            "Image": TEST_IMAGE,
            "Labels": {"workspace.instance": INSTANCE},
            "HostConfig": {"Mounts": [{"Type": "volume", "Source": name, "Target": "/v"}]},
        }
    )
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for path, data in files.items():
            info = tarfile.TarInfo(path)
            info.size, info.uid, info.gid = len(data), 1000, 1000
            archive.addfile(info, io.BytesIO(data))
    await container.put_archive("/v", out.getvalue())
    await container.delete(force=True)
    return name


@pytest.fixture
def source(settings: Settings) -> Settings:
    return settings.model_copy(update={"instance": INSTANCE, "notebook_images": [TEST_IMAGE]})


def target_of(source: Settings, tmp_path: Path) -> Settings:
    url = f"sqlite+aiosqlite:///{tmp_path / 'target' / 'workspace.db'}"
    return source.model_copy(update={"database_url": url})


def damaged(directory: Path, tmp_path: Path, name: str, harm: Callable[[Path], None]) -> Path:
    copy = tmp_path / name
    shutil.copytree(directory, copy)
    harm(copy)
    return copy


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def edit_manifest(root: Path, change: Callable[[dict[str, object]], None]) -> None:
    manifest = json.loads((root / "manifest.json").read_text())
    change(manifest)
    (root / "manifest.json").write_text(json.dumps(manifest))


def escaping_archive(root: Path) -> None:
    """A tar that writes beside the volume, with a manifest that matches it."""
    relative = "volumes/nb-7.tar"
    with tarfile.open(root / relative, mode="w") as archive:
        info = tarfile.TarInfo("volume/../etc/cron.d/x")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    entry = digest_file(root, relative)

    def point(manifest: dict[str, object]) -> None:
        volumes = manifest["volumes"]
        assert isinstance(volumes, list)
        volumes[0]["file"] = entry.model_dump()

    edit_manifest(root, point)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_refusals_change_nothing(
    backend: str, source: Settings, docker: aiodocker.Docker, tmp_path: Path
) -> None:
    engine = make_engine(source.sqlalchemy_url)
    async with make_sessionmaker(engine)() as db:
        await users.create_user(db, "alice", PASSWORD)
    await engine.dispose()
    volume = await make_volume(docker, 7, {"notes.txt": b"kept\n", "data/x.bin": bytes(range(256))})
    files = await volume_files(docker, volume)
    directory = tmp_path / "backup"
    await backup(source, directory, quiet)
    with pytest.raises(BackupError, match="is not an empty directory"):
        await backup(source, directory, quiet)

    await remove_instance_resources(docker, INSTANCE)
    target = target_of(source, tmp_path)
    cases = {
        "no-manifest": (lambda d: (d / "manifest.json").unlink(), "has no manifest.json"),
        "truncated-volume": (
            lambda d: truncate(d / "volumes/nb-7.tar"),
            "bytes where the manifest says .* the backup is damaged",
        ),
        "altered-database": (
            lambda d: flip_byte(d / "database.sqlite3"),
            "its SHA-256 does not match the manifest",
        ),
        "newer-schema": (
            lambda d: edit_manifest(
                d,
                lambda m: m["database"].update(schema_revision="9999_future"),  # type: ignore[attr-defined]
            ),
            "schema revision '9999_future' is newer than this WorkSpace",
        ),
        "escaping-archive": (escaping_archive, "is outside the volume"),
        "other-database": (
            lambda d: edit_manifest(d, lambda m: m["database"].update(kind="postgresql")),  # type: ignore[attr-defined]
            "holds a postgresql database and this WorkSpace uses sqlite",
        ),
    }
    volumes = Volumes(docker, target)
    for name, (harm, reason) in cases.items():
        with pytest.raises(BackupError, match=reason):
            await restore(target, damaged(directory, tmp_path, name, harm), force=False, say=quiet)
        assert not database.sqlite_path(target.sqlalchemy_url).exists(), name
        assert await volumes.ours() == {}, name

    await restore(target, directory, force=False, say=quiet)
    assert await volume_files(docker, volume) == files
    assert (await database.contents(target.sqlalchemy_url))[1]["users"] == 1

    stray = await make_volume(docker, 99, {"other.txt": b"not in the backup"})
    with pytest.raises(BackupError, match="the target is not empty: its database has 1 users"):
        await restore(target, directory, force=False, say=quiet)
    assert await volumes.ours() == {"7": (volume, None), "99": (stray, None)}
    await restore(target, directory, force=True, say=quiet)
    assert await volumes.ours() == {"7": (volume, None)}  # --force replaced the instance's volumes
    assert await volume_files(docker, volume) == files


async def empty_database(name: str) -> str:
    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return database_url(name)


async def migrate_to(url: str, revision: str) -> None:
    cfg = database._alembic(url)
    await asyncio.to_thread(command.upgrade, cfg, revision)


async def test_older_schema_is_migrated_up(
    backend: str, source: Settings, docker: aiodocker.Docker, tmp_path: Path
) -> None:
    """The backup of a database at an older revision, restored onto a fresh install: on
    PostgreSQL one already migrated to head, whose newer tables must not stand in the way."""
    old_name, new_name = f"{PG_TEST_DB}_old", f"{PG_TEST_DB}_new"
    if backend == "sqlite":
        old_url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        new_url = f"sqlite+aiosqlite:///{tmp_path / 'new' / 'workspace.db'}"
        await migrate_to(old_url, "0004")
    else:
        old_url = await empty_database(old_name)
        await migrate_to(old_url, "0004")
        new_url = await fresh_database(new_name)
    try:
        old = source.model_copy(update={"database_url": old_url})
        await backup(old, tmp_path / "backup", quiet)
        new = source.model_copy(update={"database_url": new_url})
        steps: list[str] = []
        await restore(new, tmp_path / "backup", force=False, say=steps.append)
        _, head = database.known_revisions(new_url)
        assert f"migrating the schema from 0004 to {head}" in steps
        assert (await database.contents(new_url))[0] == head
    finally:
        if backend == "postgres":
            await drop_database(old_name)
            await drop_database(new_name)


async def test_command_says_why_in_one_line(settings: Settings, tmp_path: Path) -> None:
    incomplete = tmp_path / "incomplete"
    (incomplete / "volumes").mkdir(parents=True)
    refused = await workspace_admin(settings, "restore", str(incomplete))
    assert refused.returncode == 1, refused
    assert (
        refused.stderr == f"error: {incomplete} is not a complete backup: it has no manifest.json\n"
    )

    nowhere = tmp_path / "nowhere" / "workspace.db"
    missing = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{nowhere}"})
    refused = await workspace_admin(missing, "backup", str(tmp_path / "new"))
    assert refused.returncode == 1 and refused.stderr.startswith(
        f"error: there is no database at {nowhere}"
    ), refused
    assert not (tmp_path / "new").exists() and not nowhere.parent.exists()
