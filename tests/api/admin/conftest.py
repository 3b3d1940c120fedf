"""Fixtures of the administration tests: an admin, and Docker reported up (no worker runs
here, so notebook requests are stored and queued; their jobs never run)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from app.services.notebooks import engine_status
from tests.support.fixtures import UserFactory


@pytest.fixture
async def admin(make_user: UserFactory) -> httpx.AsyncClient:
    return await make_user("root", admin=True)


@pytest.fixture
async def docker_up(app: FastAPI) -> None:
    await engine_status.report(app.state.redis, available=True)


async def user_id(admin: httpx.AsyncClient, username: str) -> int:
    r = await admin.get("/api/admin/users")
    assert r.status_code == 200, r.text
    (found,) = [u["id"] for u in r.json()["data"] if u["username"] == username]
    return int(found)
