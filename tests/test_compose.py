"""compose.yaml validates with the compose tool, and keeps the Docker socket to the worker."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_validates() -> None:
    env = os.environ | {"WORKSPACE_SECRET_KEY": "k", "WORKSPACE_ADMIN_PASSWORD": "p"}
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_only_the_worker_holds_the_docker_socket() -> None:
    services: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    holders = {
        name
        for name, service in services.items()
        if any("docker.sock" in str(v) for v in service.get("volumes", []))
    }
    assert holders == {"worker"}
    assert set(services) >= {"api", "worker", "postgres", "redis", "jupyter-image"}
