"""The Swarm runtime's own tests run on the test swarm (tests/support/swarm_fixtures.py);
after each, the host's docker0 and routes are as they were."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import host_guard
from tests.support.swarm_engine import SwarmEngine


@pytest.fixture(autouse=True)
def host_intact(swarm: SwarmEngine) -> Iterator[None]:
    """(The smoke test of the host engine runs once, around the whole session.)"""
    yield
    found = host_guard.problems(swarm.host_before)
    assert not found, found
