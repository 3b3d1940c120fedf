"""Publish a folder of Markdown files as posts. Front matter (title, tags, slug, status) sets
the fields; without them, the title and slug come from the file's name and the post is
published. A post whose slug exists already is updated in place, so running it again after an
edit republishes the files.

    python examples/publish_posts.py notes/

Each file the api refuses is reported with its field; the others are published.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workspace import ApiError, Client
from workspace.frontmatter import FrontMatterError, post_fields


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)

    failed = 0
    with Client() as ws:
        mine = {post.slug: post for post in ws.posts.list(limit=200).data}
        for path in sorted(args.folder.glob("*.md")):
            try:
                fields = post_fields(path.read_text(encoding="utf-8"), default_title=path.stem)
                fields.setdefault("status", "published")
                fields.setdefault("slug", "-".join(path.stem.lower().split()))
                existing = mine.get(str(fields["slug"]))
                if existing is not None:
                    post = ws.posts.update(existing.id, {**fields, "version": existing.version})
                    verb = "updated"
                else:
                    post = ws.posts.create(fields)
                    verb = "created"
            except (ApiError, FrontMatterError) as exc:
                failed += 1
                print(f"{path}: {exc}", file=sys.stderr)
                continue
            print(f"{verb}\t{post.status}\t{post.public_url}\t{path.name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
