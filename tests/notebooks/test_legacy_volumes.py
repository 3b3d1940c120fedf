"""Notebooks made before keys keep their files: the migration marks them, and the worker
copies each id-named volume into the notebook's key-named one at its next start."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiodocker
import asyncpg
import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlmodel import select

from app.core.db import make_engine, make_sessionmaker
from app.core.security import hash_password
from app.models.notebook import Notebook
from tests.notebooks.inside import in_volume, run_inside
from tests.notebooks.test_lifecycle import ours
from tests.support.databases import database_url as pg_url
from tests.support.databases import drop_database
from tests.support.environment import (
    INSTANCE,
    PASSWORD,
    PG_ADMIN_URL,
    PG_TEST_DB,
    REDIS_TEST_URL,
    TEST_IMAGE,
)
from tests.support.processes import token_for
from tests.support.stack import Stack
from tests.test_migrations import alembic_to

pytestmark = pytest.mark.usefixtures("backend")
WORK = "/home/jovyan/work"
LEGACY_ROWS = """
INSERT INTO users (id, username, password_hash, is_admin, created_at)
    VALUES (1, 'alice', :hash, false, :now);
INSERT INTO notebooks (id, owner_id, name, image, cpus, memory_mb, env, keep_volume,
                       idle_timeout_minutes, desired_state, generation, status, version,
                       container_id, host_port, jupyter_token, purge_volume,
                       created_at, updated_at)
    VALUES (7, 1, 'was-running', :image, 0.5, 256, '{}', true, 0, 'running', 1, 'healthy',
            3, :container, 40001, 'legacy-token-7', false,
            :now, :now),
           (8, 1, 'was-stopped', :image, 0.5, 256, '{}', true, 0, 'stopped', 2, 'stopped',
            5, NULL, NULL, 'legacy-token-8', false,
            :now, :now);
"""


def legacy_labels(notebook_id: int) -> dict[str, str]:
    return {"workspace.instance": INSTANCE, "workspace.notebook_id": str(notebook_id)}


async def legacy_notebook(docker: aiodocker.Docker, notebook_id: int, *, running: bool) -> str:
    """What the worker made before keys: `{instance}-nb-{id}`, labelled by id, with a file."""
    name = f"{INSTANCE}-nb-{notebook_id}"
    await docker.volumes.create({"Name": name, "Labels": legacy_labels(notebook_id)})
    script = f"echo files-of-{notebook_id} > {WORK}/notes.txt && mkdir -p {WORK}/.ipython"
    await in_volume(docker, name, script, image=TEST_IMAGE, instance=INSTANCE)
    if not running:
        return ""
    container = await docker.containers.create(
        {
            "Image": TEST_IMAGE,
            "Env": [f"JUPYTER_TOKEN=legacy-token-{notebook_id}"],
            "User": "1000:1000",
            "Labels": legacy_labels(notebook_id),
            "HostConfig": {"Mounts": [{"Type": "volume", "Source": name, "Target": WORK}]},
        },
        name=name,
    )
    await container.start()
    return str(container.id)


async def write_rows(url: str, container_id: str) -> None:
    values = {
        "hash": await hash_password(PASSWORD),
        "image": TEST_IMAGE,
        "container": container_id,
        "now": datetime(2026, 1, 1, tzinfo=UTC),
    }
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in filter(str.strip, LEGACY_ROWS.split(";")):
                await connection.execute(text(statement), values)
    finally:
        await engine.dispose()


@pytest.fixture
async def clean_state() -> None:
    """Only Redis: this module's database is its own, made at revision 0003 below."""
    redis = Redis.from_url(REDIS_TEST_URL)
    await redis.flushdb()
    await redis.aclose()


@pytest.fixture
async def database_url(
    backend: str, tmp_path: Path, docker: aiodocker.Docker
) -> AsyncIterator[str]:
    """A database as the version before keys left it, beside that version's Docker objects
    (made after the `docker` fixture's cleanup), then migrated to head."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'legacy.db'}"
        name = None
    else:
        name = f"{PG_TEST_DB}_legacy"
        await drop_database(name)
        admin = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        url = pg_url(name)
    await asyncio.to_thread(alembic_to, url, "0003")
    container_id = await legacy_notebook(docker, 7, running=True)
    await legacy_notebook(docker, 8, running=False)
    await write_rows(url, container_id)
    await asyncio.to_thread(alembic_to, url, "head")
    yield url
    if name is not None:
        await drop_database(name)


async def row(url: str, notebook_id: int) -> Notebook:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as db:
            found = (await db.exec(select(Notebook).where(Notebook.id == notebook_id))).one()
            return found
    finally:
        await engine.dispose()


async def until_status(client: httpx.AsyncClient, notebook_id: int, status: str) -> None:
    for _ in range(600):
        if (await client.get(f"/api/notebooks/{notebook_id}")).json()["status"] == status:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"notebook {notebook_id} never became {status}")


async def volume_gone(docker: aiodocker.Docker, name: str) -> bool:
    try:
        await docker.volumes.get(name)
    except aiodocker.DockerError:
        return True
    return False


async def test_existing_notebooks_keep_their_files_under_their_new_names(
    stack: Stack, docker: aiodocker.Docker, database_url: str
) -> None:
    alice = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
    stack.clients.append(alice)
    alice.headers["Authorization"] = f"Bearer {await token_for(alice, 'alice', PASSWORD)}"

    # The one that was running comes back by itself (reconcile drives it), files and all.
    await until_status(alice, 7, "healthy")
    running = await row(database_url, 7)
    assert not running.legacy_volume
    (container,) = await ours(docker, running.key)
    code, output = await run_inside(docker, container["Id"], "cat", f"{WORK}/notes.txt")
    assert (code, output.strip()) == (0, "files-of-7")
    assert await volume_gone(docker, f"{INSTANCE}-nb-7")
    with pytest.raises(aiodocker.DockerError):
        await docker.containers.get(f"{INSTANCE}-nb-7")  # the old container is gone

    # The stopped one keeps its files until it is started; then they move.
    stopped = await row(database_url, 8)
    assert stopped.legacy_volume and not await volume_gone(docker, f"{INSTANCE}-nb-8")
    assert (await alice.post("/api/notebooks/8/start")).status_code == 202
    await until_status(alice, 8, "healthy")
    started = await row(database_url, 8)
    (container,) = await ours(docker, started.key)
    code, output = await run_inside(
        docker, container["Id"], "sh", "-c", f"cat {WORK}/notes.txt; stat -c %u {WORK}/.ipython"
    )
    assert (code, output.split()) == (0, ["files-of-8", "1000"])
    assert await volume_gone(docker, f"{INSTANCE}-nb-8")
    assert not started.legacy_volume
