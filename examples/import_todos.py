"""Import todos from a CSV file with a header row: title (required), and optionally notes,
due (YYYY-MM-DD), priority (none/low/medium/high), tags (separated by spaces) and list (a list
name, created when missing).

    python examples/import_todos.py todos.csv

Each row the api refuses is reported with its line and field; the others are imported.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from workspace import Client, Invalid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    args = parser.parse_args(argv)

    imported, refused = 0, 0
    with Client() as ws, args.csv.open(newline="") as source:
        lists = {item.name.casefold(): item.id for item in ws.lists.list().data}
        reader = csv.DictReader(source)
        for row in reader:
            list_name = (row.get("list") or "").strip()
            if list_name and list_name.casefold() not in lists:
                lists[list_name.casefold()] = ws.lists.create(list_name).id
            fields: dict[str, object] = {
                "title": row.get("title") or "",
                "notes": row.get("notes") or "",
                "tags": (row.get("tags") or "").split(),
                "list_id": lists.get(list_name.casefold()) if list_name else None,
            }
            for name in ("due", "priority"):
                if (row.get(name) or "").strip():
                    fields[name] = row[name].strip()
            try:
                # Sent as read: the api checks every value and names the field it refuses.
                todo = ws.todos.create(fields)
            except Invalid as exc:
                refused += 1
                for problem in exc.problems:
                    print(f"{args.csv}:{reader.line_num}: {problem}", file=sys.stderr)
                continue
            imported += 1
            print(f"{todo.id}\t{todo.title}")
    print(f"imported {imported}, refused {refused}", file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
