"""Access to administration: every admin operation in the OpenAPI schema is 403 for a user
who is not an admin and 401 for no one, and an admin's API token is let through on all of
them. The operations come from the schema, so a new admin route is swept without being
listed here; and every route that depends on the admin rule is an admin route, and back."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.api.deps import get_admin_user
from app.core.config import Settings
from app.main import create_app

pytestmark = pytest.mark.usefixtures("backend")


def is_admin_path(path: str) -> bool:
    return path.startswith("/api/admin") or path == "/metrics"


def admin_operations() -> list[tuple[str, str]]:
    schema: dict[str, Any] = create_app(Settings(environment="test", secret_key="x")).openapi()
    operations = [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, item in schema["paths"].items()
        if is_admin_path(path)
        for method in item
    ]
    assert len(operations) >= 10  # users, notebooks, settings, audit, metrics
    return operations


OPERATIONS = admin_operations()


def _uses_admin_rule(dependant: Dependant) -> bool:
    return any(d.call is get_admin_user or _uses_admin_rule(d) for d in dependant.dependencies)


def test_every_admin_route_and_only_those_depend_on_the_admin_rule() -> None:
    app = create_app(Settings(environment="test", secret_key="x"))
    for route in app.routes:
        if isinstance(route, APIRoute):
            assert _uses_admin_rule(route.dependant) == is_admin_path(route.path), route.path


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
async def test_a_user_who_is_not_an_admin_gets_403(
    method: str, path: str, alice: httpx.AsyncClient, app: FastAPI
) -> None:
    r = await alice.request(method, path)
    assert r.status_code == 403, (method, path, r.text)
    anonymous = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    async with anonymous:
        assert (await anonymous.request(method, path)).status_code == 401


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
async def test_an_admins_token_is_let_through(
    method: str, path: str, admin: httpx.AsyncClient
) -> None:
    r = await admin.request(method, path)
    # Empty bodies and an id that may not exist: 404 or 422, never a refusal of the caller.
    assert r.status_code not in (401, 403), (method, path, r.text)
    assert r.status_code < 500, (method, path, r.text)
