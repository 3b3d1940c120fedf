"""Write the synchronous client (workspace/_sync) from the asynchronous one (workspace/_async).

    python scripts/unasync.py           rewrite workspace/_sync/*.py
    python scripts/unasync.py --check   fail when one of them is stale

One client is written, the other follows by a few textual rules (async def → def, await → ,
AsyncX → X, …), as httpcore does; `_compat.py` is the one module written twice, by hand.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE, TARGET = ROOT / "workspace" / "_async", ROOT / "workspace" / "_sync"
HAND_WRITTEN = {"__init__.py", "_compat.py"}
RULES = [
    (r"\bworkspace\._async\b", "workspace._sync"),
    (r"\bwebsockets\.asyncio\.client\b", "websockets.sync.client"),
    (r"\basync def\b", "def"),
    (r"\basync with\b", "with"),
    (r"\basync for\b", "for"),
    (r"\bawait ", ""),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\b__aiter__\b", "__iter__"),
    (r"\b__anext__\b", "__next__"),
    (r"\baclose\b", "close"),
    (r"\baread\b", "read"),
    (r"\baiter_lines\b", "iter_lines"),
    (r"\basynccontextmanager\b", "contextmanager"),
    (r"\bStopAsyncIteration\b", "StopIteration"),
    (r"\bAsync([A-Z]\w*)\b", r"\1"),
    (r"\basynchronous\b", "synchronous"),
]


def unasync(text: str, name: str) -> str:
    for pattern, replacement in RULES:
        text = re.sub(pattern, replacement, text)
    note = f"# Generated from workspace/_async/{name} by scripts/unasync.py: do not edit.\n"
    # Sorted and formatted as the project's code: renamed imports move, shorter lines join.
    text = ruff(["check", "--fix", "--select", "I", "--quiet"], note + text, name)
    return ruff(["format"], text, name)


def ruff(args: list[str], text: str, name: str) -> str:
    command = [sys.executable, "-m", "ruff", *args, "--stdin-filename", f"workspace/_sync/{name}"]
    return subprocess.run(command, input=text, capture_output=True, text=True, check=True).stdout


def main(check: bool) -> int:
    stale = []
    for source in sorted(SOURCE.glob("*.py")):
        if source.name in HAND_WRITTEN:
            continue
        target = TARGET / source.name
        text = unasync(source.read_text(), source.name)
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(target)
        else:
            target.write_text(text)
    for target in stale:
        print(f"{target.relative_to(ROOT)} is stale: run scripts/unasync.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
