"""The `workspace` command against the real stack (tests/support/cli.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.config import Settings
from tests.support.cli import Cli
from tests.support.environment import PASSWORD
from tests.support.processes import free_port
from tests.support.stack import Stack

# In the allow-list but on no Docker host: a notebook of it fails, with the reason.
ABSENT_IMAGE = "workspace/absent:latest"


@pytest.fixture
def stack_settings(stack_settings: Settings) -> Settings:
    images = [*stack_settings.notebook_images, ABSENT_IMAGE]
    return stack_settings.model_copy(update={"notebook_images": images})


CliFactory = Callable[..., Cli]


@pytest.fixture
def cli(stack: Stack, tmp_path: Path) -> Cli:
    """A person's terminal, pointed at the stack, signed in to nothing yet."""
    return Cli(home=tmp_path / "config", url=stack.base_url)


@pytest.fixture
async def alice(stack: Stack, cli: Cli) -> Cli:
    """`cli`, signed in as alice with `workspace login`."""
    await stack.user("alice")
    await cli.ok("login", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    return cli


@pytest.fixture
def nowhere() -> str:
    """An address nothing listens on."""
    return f"http://127.0.0.1:{free_port()}"
