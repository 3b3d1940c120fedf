"""Markdown with YAML front matter, as static-site generators write it:

    ---
    title: Hello
    tags: [python, notes]
    slug: hello
    status: published
    ---
    The body…

`title`, `tags`, `slug`, `status` (and `publish_at`, `excerpt`) become the post's fields; the
api checks each and names the one it refuses.
"""

from __future__ import annotations

import re
from typing import Any

from workspace.errors import WorkspaceError

POST_FIELDS = ("title", "tags", "slug", "status", "publish_at", "excerpt")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


class FrontMatterError(WorkspaceError):
    """The file's front matter cannot be read (refused before anything is sent)."""


def split(text: str) -> tuple[dict[str, Any], str]:
    """The front matter (empty without one) and the body."""
    match = _FRONT.match(text)
    if match is None:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping (key: value lines)")
    return data, text[match.end() :]


def post_fields(text: str, *, default_title: str) -> dict[str, Any]:
    """The body of `POST /api/posts` for a Markdown file. Unknown keys are refused, so a typo
    does not pass silently."""
    meta, body = split(text)
    unknown = sorted(set(meta) - set(POST_FIELDS))
    if unknown:
        raise FrontMatterError(
            f"unknown front matter {', '.join(unknown)} (known: {', '.join(POST_FIELDS)})"
        )
    fields: dict[str, Any] = {"title": default_title, "body": body.lstrip("\n")}
    for key, value in meta.items():
        if key == "tags" and isinstance(value, str):
            value = [t.strip() for t in value.split(",") if t.strip()]
        if key == "publish_at" and not isinstance(value, str) and value is not None:
            value = value.isoformat()  # YAML reads an unquoted timestamp as a datetime
        fields[key] = value
    return fields
