"""scripts/build-images.sh keeps its progress in WORKSPACE_BUILD_STATUS_FILE, which the
worker reads for the dashboard: run for real with a stand-in `docker` that prints a
classic builder's steps (and fails when told to)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from app.models.site_setting import ImageBuild
from tests.support.environment import ROOT


def build(tmp_path: Path, *, fail: bool) -> tuple[int, list[ImageBuild]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    status = tmp_path / "data" / "image-build.json"
    seen = tmp_path / "seen.jsonl"
    # After each step it prints, the stand-in waits until the status file names that step
    # (so the test does not depend on timing), and records it.
    docker = f"""#!/bin/bash
case "$1" in
  info|image) exit 0 ;;
  buildx) exit 1 ;;
  build)
    cat >/dev/null
    for i in 1 2 3 4 5 6 7; do
      echo "Step $i/7 : RUN step $i"
      for _ in $(seq 200); do
        grep -q '"step": '$i, "{status}" 2>/dev/null && break
        sleep 0.05
      done
      cat "{status}" >> "{seen}"
    done
    {"exit 3" if fail else "exit 0"} ;;
esac
"""
    (bin_dir / "docker").write_text(docker)
    (bin_dir / "docker").chmod(0o755)
    done = subprocess.run(
        [str(ROOT / "scripts" / "build-images.sh"), "testnb"],
        env={
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "WORKSPACE_BUILD_STATUS_FILE": str(status),
            "WORKSPACE_CACHE_DIR": str(tmp_path / "cache"),
            "WORKSPACE_CA_BUNDLE": "none",
            "HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    states = [ImageBuild.model_validate_json(line) for line in seen.read_text().splitlines()]
    states.append(ImageBuild.model_validate_json(status.read_text()))
    return done.returncode, states


def test_each_step_is_recorded_then_done(tmp_path: Path) -> None:
    code, states = build(tmp_path, fail=False)
    assert code == 0
    assert [(s.state, s.step, s.total) for s in states[:7]] == [
        ("building", i, 7) for i in range(1, 8)
    ]
    assert states[2].detail == "RUN step 3" and states[2].image == "workspace/testnb:latest"
    assert states[-1].state == "done"


def test_a_failed_build_says_so(tmp_path: Path) -> None:
    code, states = build(tmp_path, fail=True)
    assert code != 0
    assert states[-1].state == "failed" and states[-1].detail
