"""Fixtures of the real stack (tests/support/stack.py) for the tests that need processes,
Docker and the live feed.

Containers and volumes are those of a test-only instance name (`instance`; a folder may
override it), removed by label before and after each test, even a failed one; a failed
test prints the processes' and containers' logs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Generator
from typing import Any

import aiodocker
import pytest

from app.core.config import Settings
from tests.support.environment import INSTANCE, JUPYTER_IMAGE, TEST_IMAGE
from tests.support.stack import (
    Stack,
    instance_containers,
    remove_instance_resources,
    running_stack,
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


def call_failed(request: pytest.FixtureRequest, *, or_not_run: bool = False) -> bool:
    """Whether the test's own call failed (`or_not_run`: or never ran, a later fixture having
    failed first)."""
    report = getattr(request.node, "rep_call", None)
    return or_not_run if report is None else bool(report.failed)


@pytest.fixture
def instance() -> str:
    """The Docker instance name of this test's notebooks."""
    return INSTANCE


@pytest.fixture
def stack_settings(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None, instance: str
) -> Settings:
    return settings_factory(
        database_url,
        instance=instance,
        notebook_images=[TEST_IMAGE, JUPYTER_IMAGE],
        notebook_idle_timeout_minutes=0,
        notebook_default_memory_mb=256,
        notebook_default_cpus=0.5,
        # One spare, not the default 2: a test's first notebook joins a spare's holder, a
        # second has its network made at its start (both ways are tried everywhere), and
        # each stack start makes one network and holder fewer beside the test.
        notebook_spare_networks=1,
    )


@pytest.fixture
async def docker(request: pytest.FixtureRequest, instance: str) -> AsyncIterator[aiodocker.Docker]:
    client = aiodocker.Docker()
    await remove_instance_resources(client, instance)
    yield client
    if call_failed(request):
        for container in await instance_containers(client, instance):
            logs = await container.log(stdout=True, stderr=True, tail=60)
            print(f"--- container {container.id[:12]} logs ---\n{''.join(logs)}")
    await remove_instance_resources(client, instance)
    await client.close()


@pytest.fixture
async def stack(
    stack_settings: Settings, docker: aiodocker.Docker, request: pytest.FixtureRequest
) -> AsyncIterator[Stack]:
    async with running_stack(stack_settings) as s:
        yield s
    if call_failed(request, or_not_run=True):
        print(s.output())


@pytest.fixture
def feed_for(stack: Stack) -> Callable[..., Any]:
    return stack.feed
