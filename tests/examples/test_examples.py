"""The scripts of examples/, run as a user would run them, against the live stack."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.environment import JUPYTER_IMAGE, ROOT
from tests.support.stack import Stack

EXAMPLES = ROOT / "examples"


async def run_example(
    stack: Stack, token: str, script: str, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSPACE_")}
    env |= {"WORKSPACE_URL": stack.base_url, "WORKSPACE_TOKEN": token}
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


def token_of(client: httpx.AsyncClient) -> str:
    return str(client.headers["Authorization"]).removeprefix("Bearer ")


async def test_notebook_run(stack: Stack) -> None:
    alice = await stack.user("alice")
    out = await run_example(
        stack, token_of(alice), "notebook_run.py", "--image", JUPYTER_IMAGE,
        "--code", "print('from the kernel'); sum(range(10))",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout == "from the kernel\n45\n"
    assert "example-run: healthy" in out.stderr and "example-run: removed" in out.stderr
    assert (await alice.get("/api/notebooks")).json()["count"] == 0


async def test_import_todos(stack: Stack, tmp_path: Path) -> None:
    alice = await stack.user("alice")
    source = tmp_path / "todos.csv"
    source.write_text(
        "title,notes,due,priority,tags,list\n"
        "Buy milk,,2026-12-01,high,home errands,Errands\n"
        "Write the report,Two pages,,low,work,\n"
        ",no title here,,,,\n"
        "Bad date,,2026-13-45,,,\n"
    )
    out = await run_example(stack, token_of(alice), "import_todos.py", str(source))
    assert out.returncode == 1  # two rows refused
    assert f"{source}:4: title: String should have at least 1 character" in out.stderr
    assert f"{source}:5: due: " in out.stderr
    assert "imported 2, refused 2" in out.stderr
    todos = (await alice.get("/api/todos", params={"sort": "title"})).json()["data"]
    assert [(t["title"], t["priority"], t["tags"]) for t in todos] == [
        ("Buy milk", "high", ["errands", "home"]),
        ("Write the report", "low", ["work"]),
    ]
    (errands,) = (await alice.get("/api/lists")).json()["data"]
    assert errands["name"] == "Errands" and todos[0]["list_id"] == errands["id"]


async def test_publish_posts(stack: Stack, tmp_path: Path) -> None:
    alice = await stack.user("alice")
    (tmp_path / "a-first.md").write_text("---\ntitle: First\ntags: [notes]\n---\nOne.\n")
    (tmp_path / "b-draft.md").write_text("---\ntitle: Not yet\nstatus: draft\n---\nTwo.\n")
    (tmp_path / "c-bad.md").write_text("---\ntitle: Bad\nslug: Not A Slug\n---\nThree.\n")
    out = await run_example(stack, token_of(alice), "publish_posts.py", str(tmp_path))
    assert out.returncode == 1, out.stderr
    assert [line.split("\t")[:2] for line in out.stdout.splitlines()] == [
        ["created", "published"],
        ["created", "draft"],
    ]
    assert f"{tmp_path / 'c-bad.md'}: slug: " in out.stderr
    posts = (await alice.get("/api/posts")).json()["data"]
    assert sorted((p["title"], p["status"]) for p in posts) == [
        ("First", "published"),
        ("Not yet", "draft"),
    ]

    assert sorted(p["slug"] for p in posts) == ["a-first", "b-draft"]  # from the file names

    # Again after an edit: the same posts, updated in place.
    (tmp_path / "a-first.md").write_text("---\ntitle: First, edited\n---\nOne!\n")
    (tmp_path / "c-bad.md").unlink()
    out = await run_example(stack, token_of(alice), "publish_posts.py", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert [line.split("\t")[0] for line in out.stdout.splitlines()] == ["updated", "updated"]
    titles = sorted(p["title"] for p in (await alice.get("/api/posts")).json()["data"])
    assert titles == ["First, edited", "Not yet"]
