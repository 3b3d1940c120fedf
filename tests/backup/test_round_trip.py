"""Backup → wipe → restore on PostgreSQL and on SQLite, with the real api, worker and Docker:
users, todos, posts (and their images), notebooks and the files inside their volumes come back."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiodocker
import httpx
import pytest
from PIL import Image

from app.core.config import Settings
from tests.backup.conftest import (
    read_manifest,
    run_in,
    volume_files,
    wait_notebook,
    workspace_admin,
)
from tests.support.databases import drop_database, fresh_database
from tests.support.environment import INSTANCE, PASSWORD, PG_TEST_DB, TEST_IMAGE
from tests.support.processes import api_service, free_port, token_for, wait_http, worker_service
from tests.support.stack import Stack, remove_instance_resources

WORK = "/home/jovyan/work"
FILES = (
    f"mkdir -p {WORK}/data/deep && printf 'a,b\\n1,2\\n' > {WORK}/data/table.csv"
    f" && head -c 300000 /dev/urandom > {WORK}/data/deep/blob.bin"
    f" && chmod 600 {WORK}/data/deep/blob.bin && ln -s data/table.csv {WORK}/link"
    f" && printf '%s' \"$HOSTNAME\" > {WORK}/made-in.txt"
)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (5, 4), "teal").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def fresh_target(
    backend: str, stack_settings: Settings, tmp_path: Path
) -> AsyncIterator[Settings]:
    """A fresh install of the same instance: PostgreSQL migrated and empty (as `make run`
    leaves it before anyone signs up), or SQLite with no file at all."""
    name = f"{PG_TEST_DB}_restore"
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'workspace.db'}"
    else:
        url = await fresh_database(name)
    yield stack_settings.model_copy(update={"database_url": url, "data_dir": tmp_path / "restored"})
    if backend == "postgres":
        await drop_database(name)


async def what_alice_sees(client: httpx.AsyncClient) -> dict[str, Any]:
    todos = (await client.get("/api/todos")).json()["data"]
    listed = (await client.get("/api/posts")).json()["data"]
    posts = [(await client.get(f"/api/posts/{p['id']}")).json() for p in listed]
    notebooks = (await client.get("/api/notebooks")).json()["data"]
    return {
        "todos": sorted((t["id"], t["title"], t["priority"]) for t in todos),
        "posts": sorted((p["id"], p["title"], p["body"], p["status"], p["slug"]) for p in posts),
        "notebooks": sorted(
            (n["id"], n["name"], n["image"], n["desired_state"], n["memory_mb"]) for n in notebooks
        ),
    }


async def test_backup_wipe_restore(
    backend: str,
    stack: Stack,
    docker: aiodocker.Docker,
    fresh_target: Settings,
    tmp_path: Path,
) -> None:
    alice = await stack.user("alice")
    alice_id = (await alice.get("/api/me")).json()["id"]
    await stack.user("bob", admin=True)
    todo = await alice.post("/api/todos", json={"title": "water the plants", "priority": "high"})
    assert todo.status_code == 201, todo.text
    image = await alice.post("/api/posts/images", files={"file": ("cover.png", png())})
    assert image.status_code == 201, image.text
    body = f"![cover]({image.json()['url']})"
    post = await alice.post(
        "/api/posts", json={"title": "Backups", "body": body, "status": "published"}
    )
    assert post.status_code == 201, post.text
    lab = (await alice.post("/api/notebooks", json={"name": "lab", "image": TEST_IMAGE})).json()
    old = (await alice.post("/api/notebooks", json={"name": "old", "image": TEST_IMAGE})).json()
    for notebook in (lab, old):
        await wait_notebook(alice, notebook["id"], "healthy")
        await run_in(docker, f"{INSTANCE}-nb-{notebook['key']}", FILES)
    assert (await alice.post(f"/api/notebooks/{old['id']}/stop")).status_code == 202
    await wait_notebook(alice, old["id"], "stopped")
    volumes = {n["id"]: f"{INSTANCE}-nb-{n['key']}" for n in (lab, old)}
    files = {i: await volume_files(docker, v) for i, v in volumes.items()}
    assert "v/data/deep/blob.bin" in files[lab["id"]] and "v/link" in files[old["id"]]
    seen = await what_alice_sees(alice)

    directory = tmp_path / "backup"
    made = await workspace_admin(stack.settings, "backup", str(directory))
    assert made.returncode == 0, made
    assert "paused for the copy" in made.stdout
    manifest = read_manifest(directory)
    assert manifest["database"]["kind"] == ("sqlite" if backend == "sqlite" else "postgresql")
    assert manifest["database"]["rows"] == {"users": 2, "todos": 1, "posts": 1, "notebooks": 2}
    assert {(v["notebook"], v["owner_id"], v["paused"]) for v in manifest["volumes"]} == {
        (lab["key"], alice_id, True),
        (old["key"], alice_id, False),
    }
    assert (directory.stat().st_mode & 0o777) == 0o700
    # The running notebook was unpaused and kept running.
    state = (await docker.containers.container(volumes[lab["id"]]).show())["State"]
    assert state["Running"] and not state["Paused"]
    assert (await alice.get(f"/api/notebooks/{lab['id']}")).json()["status"] == "healthy"

    refused = await workspace_admin(stack.settings, "restore", str(directory))
    assert refused.returncode == 1, refused
    # The stopped notebook's container may still be on its way out: its count varies.
    assert re.match(
        "error: the target is not empty: its database has 2 users, 1 todos, 1 posts, "
        rf"2 notebooks; the Docker engine has 2 volumes and [12] containers of instance "
        rf"{INSTANCE!r}\. A restore replaces all of it: stop WorkSpace and run again with --force",
        refused.stderr,
    ), refused
    assert "Traceback" not in refused.stderr
    if backend == "postgres":
        busy = await workspace_admin(stack.settings, "restore", str(directory), "--force")
        assert busy.returncode == 1, busy
        assert "other sessions are connected to the target database: stop WorkSpace" in busy.stderr
    assert await volume_files(docker, volumes[lab["id"]]) == files[lab["id"]]
    assert (await alice.get("/api/todos")).json()["count"] == 1

    # Wipe: WorkSpace stopped, its containers and volumes gone, an empty database.
    await stack.worker.stop()
    await stack.api.stop()
    await remove_instance_resources(docker, INSTANCE)

    restored = await workspace_admin(fresh_target, "restore", str(directory))
    assert restored.returncode == 0, restored
    for volume, notebook_id in ((v, i) for i, v in volumes.items()):
        assert await volume_files(docker, volume) == files[notebook_id]

    port = free_port()
    api, worker = api_service(fresh_target, port), worker_service(fresh_target)
    await api.start()
    await worker.start()
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_http(f"{base}/api/health")
        async with httpx.AsyncClient(base_url=base, timeout=30) as again:
            token = await token_for(again, "alice", PASSWORD)
            again.headers["Authorization"] = f"Bearer {token}"
            assert await what_alice_sees(again) == seen
            picture = await again.get(image.json()["url"])
            assert picture.status_code == 200 and picture.content == png()
            public = await again.get(f"/blog/{post.json()['slug']}")
            assert public.status_code == 200 and "Backups" in public.text
            # The notebook that ran runs again, on its restored files; the other stays stopped.
            back = await wait_notebook(again, lab["id"], "healthy")
            assert back["status_reason"] in (None, "restored from a backup: starting again")
            listing = await run_in(docker, volumes[lab["id"]], f"cat {WORK}/data/table.csv")
            assert listing == "a,b\n1,2\n"
            stopped = (await again.get(f"/api/notebooks/{old['id']}")).json()
            assert stopped["status"] == "stopped" and stopped["desired_state"] == "stopped"
        for volume, notebook_id in ((v, i) for i, v in volumes.items()):
            assert await volume_files(docker, volume) == files[notebook_id]
    finally:
        await worker.stop()
        await api.stop()
        print(f"--- restored api ---\n{api.output()}\n--- restored worker ---\n{worker.output()}")
