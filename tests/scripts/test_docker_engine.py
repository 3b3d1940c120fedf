"""`make run`'s Docker bring-up (scripts/docker-engine.sh), run for real with stand-ins for
`docker`, `dockerd`, `apt-get` and `id` first on PATH: an engine that answers is left
alone; as root on Debian with none, docker.io is installed when missing and dockerd started
with its log in the data directory; otherwise one line says what to do.

What CI cannot run: installing docker.io from Debian and starting a first dockerd on a
machine without one (CI's machine has its engine already, and other suites use it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.environment import ROOT

SCRIPT = ROOT / "scripts" / "docker-engine.sh"


def fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    """A PATH with stand-ins: `docker info` answers once `dockerd` ran (a marker file)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "engine-up"
    fake(bin_dir, "docker", f'[ "$1" = info ] && [ -e "{marker}" ]')
    fake(bin_dir, "dockerd", f'echo "dockerd $*"; touch "{marker}"; sleep 0.2')
    fake(bin_dir, "apt-get", f'echo "apt-get $*" >> "{tmp_path}/apt.log"')
    fake(bin_dir, "id", 'echo "${FAKE_UID:-0}"')
    for tool in ("setsid", "seq", "sleep", "mkdir", "cat", "mv", "touch"):
        found = subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True)
        (bin_dir / tool).symlink_to(found.stdout.strip())
    return tmp_path


def run(machine: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": str(machine / "bin"),
        "WORKSPACE_DATA_DIR": str(machine / "data"),
        "WORKSPACE_DOCKER_WAIT_SECONDS": "10",
        **env,
    }
    return subprocess.run(
        ["/bin/bash", str(SCRIPT)], env=environment, capture_output=True, text=True, timeout=60
    )


def test_an_engine_that_answers_is_left_alone(machine: Path) -> None:
    (machine / "engine-up").touch()
    done = run(machine)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not (machine / "data").exists()


def test_as_root_on_debian_dockerd_is_started_with_its_log_in_the_data_dir(
    machine: Path,
) -> None:
    done = run(machine)
    assert done.returncode == 0, done.stderr
    assert "starting dockerd" in done.stdout
    assert not (machine / "apt.log").exists()  # dockerd is there: nothing to install
    assert "dockerd" in (machine / "data" / "dockerd.log").read_text()


def test_as_root_on_debian_without_dockerd_docker_io_is_installed(machine: Path) -> None:
    (machine / "bin" / "dockerd").rename(machine / "dockerd-later")
    # The stand-in apt-get "installs" dockerd.
    fake(
        machine / "bin",
        "apt-get",
        f'echo "apt-get $*" >> "{machine}/apt.log"; '
        f'mv "{machine}/dockerd-later" "{machine}/bin/dockerd"',
    )
    done = run(machine)
    assert done.returncode == 0, done.stderr
    assert "installing docker.io" in done.stdout
    assert "install -y -q docker.io" in (machine / "apt.log").read_text()


@pytest.mark.parametrize(
    ("env", "advice"),
    [
        ({"FAKE_UID": "1000"}, "apt-get install docker.io"),
        ({"DOCKER_HOST": "unix:///nowhere.sock"}, "unix:///nowhere.sock"),
        ({"WORKSPACE_DOCKER_URL": "tcp://10.0.0.9:2375"}, "tcp://10.0.0.9:2375"),
    ],
)
def test_otherwise_one_line_says_what_to_do(
    machine: Path, env: dict[str, str], advice: str
) -> None:
    done = run(machine, **env)
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert advice in line and "notebooks are unavailable" in line
    assert not (machine / "engine-up").exists()  # nothing was started


def test_an_engine_that_never_answers_is_reported(machine: Path) -> None:
    fake(machine / "bin", "dockerd", "echo started")  # never answers
    done = run(machine, WORKSPACE_DOCKER_WAIT_SECONDS="1")
    assert done.returncode == 1
    assert "did not answer" in done.stderr.splitlines()[-1]
    assert os.path.exists(machine / "data" / "dockerd.log")
