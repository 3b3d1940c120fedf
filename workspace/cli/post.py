"""`workspace post`: blog posts from Markdown files and from notebooks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from workspace.cli import _output
from workspace.cli._groups import group_app
from workspace.cli._session import client

if TYPE_CHECKING:
    from workspace.models import PostPublic, PostSummary

app = group_app()  # its help: workspace/cli/_groups.py
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Ref = Annotated[str, typer.Argument(help="The post's id or slug.")]
COLUMNS = ("id", "title", "slug", "status", "tags", "published")


def _ref(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _row(post: PostSummary | PostPublic) -> list[object]:
    published = f"{post.published_at:%Y-%m-%d %H:%M}" if post.published_at else ""
    return [post.id, post.title, post.slug, post.status.value, " ".join(post.tags), published]


def _done(post: PostPublic, as_json: bool, verb: str) -> None:
    if as_json:
        _output.emit_json(post)
    else:
        _output.say(f"{verb} {post.id}: {post.title} ({post.status.value}, /{post.slug})")


@app.command()
def new(
    file: Annotated[
        Path,
        typer.Argument(
            help="A Markdown file; front matter sets title, tags, slug, status.",
            exists=True,
            dir_okay=False,
        ),
    ],
    status: Annotated[str | None, typer.Option(help="Overrides the front matter's.")] = None,
    as_json: Json = False,
) -> None:
    """Create a post from a Markdown file (its front matter: title, tags, slug, status)."""
    from workspace.frontmatter import post_fields

    fields: dict[str, Any] = post_fields(file.read_text(encoding="utf-8"), default_title=file.stem)
    if status is not None:
        fields["status"] = status
    with client() as ws:
        _done(ws.posts.create(fields), as_json, "created")


@app.command("ls")
def list_posts(
    status: Annotated[
        str | None, typer.Option(help="draft, scheduled, published, unlisted.")
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q")] = None,
    limit: Annotated[int, typer.Option()] = 50,
    offset: Annotated[int, typer.Option()] = 0,
    as_json: Json = False,
) -> None:
    """List your posts, most recently changed first."""
    with client() as ws:
        page = ws.posts.list(status=status, tag=tag, q=search, limit=limit, offset=offset)
    if as_json:
        _output.emit_json(page)
    else:
        _output.rows(COLUMNS, [_row(p) for p in page.data], empty="no posts")


@app.command()
def publish(post: Ref, as_json: Json = False) -> None:
    """Publish a post now."""
    with client() as ws:
        _done(ws.posts.publish(_ref(post)), as_json, "published")


@app.command("rm")
def remove(posts: Annotated[list[str], typer.Argument(help="Ids or slugs.")]) -> None:
    """Delete posts."""
    with client() as ws:
        for post in posts:
            ws.posts.delete(_ref(post))
    _output.say(f"deleted {len(posts)}")


@app.command("from-notebook")
def from_notebook(
    notebook: Annotated[str, typer.Argument(help="The notebook server's name or id.")],
    path: Annotated[str, typer.Argument(help="The .ipynb's path in it, e.g. work/analysis.ipynb.")],
    title: Annotated[str | None, typer.Option(help="Default: the notebook's own.")] = None,
    show_input: Annotated[bool, typer.Option("--show-input/--hide-input")] = True,
    as_json: Json = False,
) -> None:
    """A new draft post from a notebook in one of your running notebook servers."""
    with client() as ws:
        server = ws.notebooks.get(int(notebook) if notebook.isdigit() else notebook)
        post = ws.posts.from_notebook(server.id, path, title=title, show_input=show_input)
    _done(post, as_json, "created")
