"""Create a notebook, wait until it is healthy, run code in its kernel, print the result, and
delete it again.

    export WORKSPACE_URL=http://127.0.0.1:8000 WORKSPACE_TOKEN=wst_...  # or: workspace login
    python examples/notebook_run.py --code 'import platform; platform.python_version()'
"""

from __future__ import annotations

import argparse
import sys

from workspace import Client, KernelError, WorkspaceError
from workspace.models import NotebookCreate, NotebookPublic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="example-run")
    parser.add_argument("--image", help="one of the server's images (default: its first)")
    parser.add_argument("--code", default="sum(range(10))")
    args = parser.parse_args(argv)

    def progress(notebook: NotebookPublic) -> None:
        print(f"{notebook.name}: {notebook.status}", file=sys.stderr)

    with Client() as ws:
        try:
            notebook = ws.notebooks.create(
                NotebookCreate(name=args.name, image=args.image), wait=True, on_change=progress
            )
        except WorkspaceError as exc:
            print(f"could not start a notebook: {exc}", file=sys.stderr)
            return 1
        try:
            out = ws.notebooks.run(notebook, args.code)
            print(out.stdout, end="")
            print(out.result)
        except KernelError as exc:
            print(f"the code raised {exc}", file=sys.stderr)
            return 1
        finally:
            ws.notebooks.delete(notebook, purge=True, wait=True, on_change=progress)
    return 0


if __name__ == "__main__":
    sys.exit(main())
