"""workspace nb: every command on real notebooks, the phases shown as the live feed tells them."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys

from tests.cli.conftest import ABSENT_IMAGE
from tests.support.cli import Cli
from tests.support.environment import JUPYTER_IMAGE, ROOT, TEST_IMAGE
from workspace.cli._errors import NOTEBOOK


def phases(out: str) -> list[str]:
    """The statuses of the plain progress lines (`status<TAB>seconds`)."""
    return [line.split("\t")[0] for line in out.splitlines() if "\t" in line]


async def test_create_shows_every_phase_then_the_lifecycle(alice: Cli) -> None:
    out = await alice.ok("nb", "create", "lab", "--image", TEST_IMAGE, "-e", "GREETING=hi")
    assert phases(out) == ["pending", "creating", "starting", "healthy"]
    # Every phase is timed; the goal reached gives the total.
    assert all(re.fullmatch(r"\w+\t\d+\.\d( total)?", line) for line in out.splitlines()), out

    (row,) = (await alice.ok("nb", "ls")).splitlines()
    assert row.split("\t")[1:4] == ["lab", "healthy", TEST_IMAGE]
    listed = json.loads(await alice.ok("nb", "ls", "--json"))
    (nb,) = listed["data"]
    assert nb["env"] == {"GREETING": "hi"} and listed["count"] == 1
    url = (await alice.ok("nb", "open", "lab")).strip()
    assert url == f"{alice.url}/notebooks/{nb['key']}/lab"

    assert "testnb listening" in await alice.ok("nb", "logs", "lab")
    follower = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-m", "workspace", "nb", "logs", "-f", "lab"],
        stdout=subprocess.PIPE,
        text=True,
        env=alice.environ(None),
        cwd=ROOT,
    )
    try:
        assert follower.stdout is not None
        first = await asyncio.wait_for(asyncio.to_thread(follower.stdout.readline), 30)
        assert "testnb listening" in first
        assert follower.poll() is None  # still following
    finally:
        follower.terminate()
        await asyncio.to_thread(follower.wait, 10)

    assert phases(await alice.ok("nb", "stop", "lab", "--wait"))[-2:] == ["stopping", "stopped"]
    assert phases(await alice.ok("nb", "start", "lab", "--wait")) == [
        "pending",
        "creating",
        "starting",
        "healthy",
    ]
    restarted = phases(await alice.ok("nb", "restart", "lab", "--wait"))
    assert restarted[0] == "pending" and restarted[-1] == "healthy", restarted
    done = json.loads(await alice.ok("nb", "stop", "lab", "--wait", "--json"))
    assert done["status"] == "stopped"
    assert (await alice.ok("nb", "start", "lab")).strip() == "lab: pending"
    removed = phases(await alice.ok("nb", "rm", "lab", "--purge", "--wait"))
    assert removed[-1] == "removed"
    assert await alice.ok("nb", "ls") == ""


async def test_on_a_terminal_the_phases_are_a_live_display(alice: Cli) -> None:
    code, screen = await alice.tty("nb", "create", "lab", "--image", TEST_IMAGE)
    assert code == 0, screen
    final = screen.rsplit("\x1b[1A", 1)[-1]  # what stays on screen after the last redraw
    for status in ("pending", "creating", "starting"):
        assert re.search(rf"✓\S*\s+\S*{status}\S*\s+\d+\.\ds", final), (status, final)
    assert re.search(r"✓\S*\s+\S*healthy", final), final
    deleting = await alice.ok("nb", "rm", "lab", "--purge")
    assert deleting.strip() == "lab: being deleted, with its files"


async def test_a_failing_notebook_exits_non_zero_with_the_reason(alice: Cli) -> None:
    result = await alice.run("nb", "create", "broken", "--image", ABSENT_IMAGE)
    assert result.code == NOTEBOOK, result
    assert phases(result.stdout)[0] == "pending" and phases(result.stdout)[-1] == "error"
    assert result.stderr.strip() == (
        f"error: notebook 'broken' failed: image {ABSENT_IMAGE} is not on this Docker host "
        "(build it: scripts/build-images.sh)"
    )
    created = json.loads(await alice.ok("nb", "create", "later", "--no-wait", "--json"))
    assert created["status"] == "pending"


async def test_run_executes_code_in_a_kernel_through_workspace(alice: Cli) -> None:
    out = await alice.ok("nb", "create", "lab", "--image", JUPYTER_IMAGE, "--memory", "512m")
    assert phases(out)[-1] == "healthy"
    assert await alice.ok("nb", "run", "lab", 'print("hello"); 6 * 7') == "hello\n42\n"
    result = await alice.run("nb", "run", "lab", "1 / 0")
    assert result.code == NOTEBOOK
    assert "ZeroDivisionError" in result.stderr and "\x1b[" not in result.stderr
    assert result.stderr.strip().endswith("error: ZeroDivisionError: division by zero")
    out = json.loads(
        await alice.ok("nb", "run", "lab", "-", "--json", input="import sys\nsys.version_info[0]\n")
    )
    assert out["result"] == "3" and out["error"] is None
