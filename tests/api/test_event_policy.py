"""A committed change is never answered with an error because its live event was lost.

Redis goes away after the change is saved (the api's client points at a port where nothing
listens): the request still succeeds and the change is stored; the tabs heal on reconnect.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from app.models.user import ApiTokenCreate, User
from app.services.accounts import tokens
from tests.api.test_notebook_transition import make_notebook
from tests.support.processes import free_port

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
async def redis_gone(app: FastAPI) -> Redis:
    dead: Redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    app.state.redis = dead
    return dead


async def test_notebook_change_saved_while_redis_is_gone(
    app: FastAPI, alice: httpx.AsyncClient, redis_gone: Redis
) -> None:
    notebook = await make_notebook(app)
    # The notebook belongs to "owner"; sign in as them through a token made in the database.
    async with app.state.sessionmaker() as db:
        owner = await db.get(User, notebook.owner_id)
        assert owner is not None
        token = (await tokens.issue(db, owner, ApiTokenCreate(name="t"))).token
    alice.headers["Authorization"] = f"Bearer {token}"
    r = await alice.patch(f"/api/notebooks/{notebook.id}", json={"name": "renamed"})
    assert r.status_code == 200, r.text
    stored = (await alice.get(f"/api/notebooks/{notebook.id}")).json()
    assert stored["name"] == "renamed" and stored["version"] == notebook.version + 1


async def test_todo_change_saved_while_redis_is_gone(
    alice: httpx.AsyncClient, redis_gone: Redis
) -> None:
    r = await alice.post("/api/todos", json={"title": "still saved"})
    assert r.status_code == 201, r.text
    listed = (await alice.get("/api/todos")).json()
    assert [t["title"] for t in listed["data"]] == ["still saved"]
