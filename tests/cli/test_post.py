"""workspace post: new from a Markdown file with front matter, ls, publish, rm."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli
from tests.support.environment import JUPYTER_IMAGE
from workspace.cli._errors import INVALID, NOT_FOUND


async def test_every_post_command(alice: Cli, tmp_path: Path) -> None:
    note = tmp_path / "hello.md"
    note.write_text(
        "---\ntitle: Hello, world\ntags: [python, notes]\nslug: hello\nstatus: draft\n---\n"
        "First **post**.\n"
    )
    out = await alice.ok("post", "new", str(note))
    assert out.strip().endswith(": Hello, world (draft, /hello)")
    untitled = tmp_path / "second-thoughts.md"
    untitled.write_text("No front matter at all.\n")
    second = json.loads(
        await alice.ok("post", "new", str(untitled), "--status", "unlisted", "--json")
    )
    assert (second["title"], second["status"], second["body"]) == (
        "second-thoughts",
        "unlisted",
        "No front matter at all.\n",
    )

    rows = [line.split("\t") for line in (await alice.ok("post", "ls")).splitlines()]
    assert sorted(r[2] for r in rows) == ["hello", "second-thoughts"]
    (hello,) = [r for r in rows if r[2] == "hello"]
    assert hello[1:5] == ["Hello, world", "hello", "draft", "python notes"]
    assert "published" in await alice.ok("post", "publish", "hello")
    page = json.loads(await alice.ok("post", "ls", "--status", "published", "--json"))
    assert [p["slug"] for p in page["data"]] == ["hello"] and page["data"][0]["published_at"]

    line = await alice.fails(INVALID, "post", "new", str(note))
    assert line == "error: slug: the slug 'hello' is taken by another post"
    typo = tmp_path / "typo.md"
    typo.write_text("---\ntitel: oops\n---\nbody\n")
    line = await alice.fails(INVALID, "post", "new", str(typo))
    assert line.startswith("error: unknown front matter titel (known: title, tags")
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Fine\nstatus: live\n---\nbody\n")
    assert (await alice.fails(INVALID, "post", "new", str(bad))).startswith("error: status: ")

    assert (await alice.ok("post", "rm", "hello", str(second["id"]))).strip() == "deleted 2"
    assert await alice.ok("post", "ls") == ""
    assert await alice.fails(NOT_FOUND, "post", "publish", "hello") == (
        "error: slug: no post of yours with the slug 'hello'"
    )


async def test_a_notebook_becomes_a_post(alice: Cli) -> None:
    await alice.ok("nb", "create", "lab", "--image", JUPYTER_IMAGE, "--memory", "512m")
    write = (
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell('# Findings'),"
        " nbformat.v4.new_code_cell('6 * 7', outputs=[nbformat.v4.new_output("
        "'execute_result', data={'text/plain': '42'}, execution_count=1)])])\n"
        "nbformat.write(nb, 'findings.ipynb')\n"
        "import os; os.path.abspath('findings.ipynb')\n"
    )
    where = (await alice.ok("nb", "run", "lab", "-", input=write)).strip().strip("'")
    path = where.removeprefix("/home/jovyan/").removeprefix("work/")
    post = json.loads(
        await alice.ok("post", "from-notebook", "lab", path, "--title", "Findings", "--json")
    )
    assert (post["title"], post["status"]) == ("Findings", "draft")
    assert "42" in post["html"] and post["notebook"]["path"].endswith("findings.ipynb")
    line = await alice.fails(NOT_FOUND, "post", "from-notebook", "lab", "nothing.ipynb")
    assert line.startswith("error: ")
