"""`transition`: a notebook's status moves in one conditional statement, on both databases.

The watcher relies on its guards (the status machine, the tracked container, "something
changes") holding inside that single statement, since no read comes before it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from sqlalchemy import case
from sqlmodel import col

from app.live.events import every_user_channel
from app.models.notebook import DesiredState, Notebook, NotebookUpdate, Status
from app.models.user import User
from app.services.accounts import users
from app.services.notebooks import notebooks
from app.services.notebooks.state import transition
from tests.support.environment import PASSWORD, REDIS_TEST_URL

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
async def redis(app: FastAPI) -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def published(redis: Redis) -> AsyncIterator[PubSub]:
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.psubscribe(every_user_channel(redis))
    yield pubsub
    await pubsub.aclose()


async def events(pubsub: PubSub) -> list[dict[str, Any]]:
    """What was published so far (a publish made before this call is already queued)."""
    found = []
    deadline = asyncio.get_running_loop().time() + 0.3
    while asyncio.get_running_loop().time() < deadline:
        # None also stands for the (ignored) subscribe confirmation: keep reading.
        item = await pubsub.get_message(timeout=0.05)
        if item is not None:
            found.append(json.loads(item["data"]))
    return found


async def make_notebook(app: FastAPI, **fields: Any) -> Notebook:
    async with app.state.sessionmaker() as db:
        user = await users.create_user(db, "owner", PASSWORD)
        assert user.id is not None
        values: dict[str, Any] = {
            "owner_id": user.id,
            "name": "nb",
            "image": "workspace/testnb:latest",
            "cpus": 0.5,
            "memory_mb": 256,
            "idle_timeout_minutes": 0,
            "jupyter_token": "t",
        }
        notebook = Notebook(**(values | fields))
        db.add(notebook)
        await db.commit()
        await db.refresh(notebook)
        return notebook


async def stored(app: FastAPI, notebook_id: int) -> Notebook:
    async with app.state.sessionmaker() as db:
        notebook: Notebook | None = await db.get(Notebook, notebook_id)
        assert notebook is not None
        return notebook


async def test_an_allowed_move_is_stored_with_the_next_version_and_published(
    app: FastAPI, redis: Redis, published: PubSub
) -> None:
    notebook = await make_notebook(app, status=Status.starting, container_id="c1")
    assert notebook.id is not None
    async with app.state.sessionmaker() as db:
        moved = await transition(db, redis, notebook.id, Status.healthy, health="healthy")
    assert moved is not None and moved.status == Status.healthy
    row = await stored(app, notebook.id)
    assert (row.status, row.health, row.version) == (Status.healthy, "healthy", 2)
    [event] = await events(published)
    assert (event["version"], event["data"]["status"]) == (2, "healthy")


@pytest.mark.parametrize(
    ("guard", "kwargs"),
    [
        ("the machine refuses healthy → creating", {"status": Status.creating}),
        ("nothing would change", {"status": Status.healthy}),
        ("another container is tracked", {"status": Status.stopped, "tracking": "c2"}),
        ("its status is excluded", {"status": Status.stopped, "not_from": {Status.healthy}}),
    ],
)
async def test_a_guarded_move_changes_nothing_and_publishes_nothing(
    app: FastAPI, redis: Redis, published: PubSub, guard: str, kwargs: dict[str, Any]
) -> None:
    notebook = await make_notebook(app, status=Status.healthy, container_id="c1")
    assert notebook.id is not None
    async with app.state.sessionmaker() as db:
        assert await transition(db, redis, notebook.id, **kwargs) is None, guard
    row = await stored(app, notebook.id)
    assert (row.status, row.version) == (Status.healthy, 1)
    assert await events(published) == []


async def test_the_same_status_with_a_changed_field_is_a_change(
    app: FastAPI, redis: Redis, published: PubSub
) -> None:
    notebook = await make_notebook(app, status=Status.starting)
    assert notebook.id is not None
    async with app.state.sessionmaker() as db:
        moved = await transition(db, redis, notebook.id, Status.starting, host_port=40001)
    assert moved is not None and moved.host_port == 40001 and moved.version == 2
    assert len(await events(published)) == 1


@pytest.mark.parametrize(
    ("before", "reason"),
    [(Status.stopping, None), (Status.healthy, "exited unexpectedly")],
)
async def test_a_reason_can_depend_on_the_row_it_moves(
    app: FastAPI, redis: Redis, before: Status, reason: str | None
) -> None:
    notebook = await make_notebook(app, status=before, container_id="c1")
    assert notebook.id is not None
    expected = case((col(Notebook.status) == Status.stopping, None), else_="exited unexpectedly")
    async with app.state.sessionmaker() as db:
        moved = await transition(
            db, redis, notebook.id, Status.stopped, tracking="c1", reason=expected
        )
    assert moved is not None
    assert (await stored(app, notebook.id)).status_reason == reason


async def test_concurrent_moves_each_take_their_own_version(app: FastAPI, redis: Redis) -> None:
    """Two writers at once (job and watcher): no lost update, versions stay distinct."""
    notebook = await make_notebook(app, status=Status.starting)
    assert notebook.id is not None
    notebook_id = notebook.id

    async def move(port: int) -> Notebook | None:
        async with app.state.sessionmaker() as db:
            return await transition(db, redis, notebook_id, Status.starting, host_port=port)

    results = await asyncio.gather(move(40001), move(40002))
    versions = sorted(r.version for r in results if r is not None)
    assert versions == [2, 3]
    assert (await stored(app, notebook_id)).version == 3


async def test_a_persons_change_is_not_refused_when_the_worker_moved_the_status_meanwhile(
    app: FastAPI, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The api computes a change from the row it read; a Docker health event recorded in
    between must not turn the person's Stop (or edit) into a 409."""
    notebook = await make_notebook(app, status=Status.starting, container_id="c1")
    assert notebook.id is not None
    notebook_id = notebook.id
    read_row = notebooks.get_owned
    raced = False

    async def read_then_race(db: Any, user: Any, nb_id: int) -> Notebook:
        nonlocal raced
        row = await read_row(db, user, nb_id)
        if not raced:  # the worker writes right after the api's first read
            raced = True
            async with app.state.sessionmaker() as other:
                await transition(other, redis, nb_id, Status.healthy, health="healthy")
        return row

    monkeypatch.setattr(notebooks, "get_owned", read_then_race)
    async with app.state.sessionmaker() as db:
        owner = await db.get(User, notebook.owner_id)
        assert owner is not None
        saved = await notebooks.set_desired(
            db, redis, app.state.queue, app.state.settings, owner, notebook_id, DesiredState.stopped
        )
        assert raced and saved.desired_state == DesiredState.stopped
        raced = False
        edited = await notebooks.update_config(
            db, redis, app.state.settings, owner, notebook_id, NotebookUpdate(cpus=0.25)
        )
    assert raced and edited.cpus == 0.25
    row = await stored(app, notebook_id)
    assert (row.desired_state, row.cpus, row.health) == (DesiredState.stopped, 0.25, "healthy")
