"""Accounts managed by an admin: create (password shown once), disable (every credential
stops at once), grant admin, reset a password, delete; each action in the audit log."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.api.admin.conftest import user_id
from tests.support.environment import PASSWORD
from tests.support.fixtures import UserFactory
from tests.support.processes import token_for

pytestmark = pytest.mark.usefixtures("backend")


def client_of(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_create_with_a_generated_password_shown_once(
    admin: httpx.AsyncClient, app: FastAPI
) -> None:
    r = await admin.post("/api/admin/users", json={"username": "carol"})
    assert r.status_code == 201, r.text
    created = r.json()
    password = created["initial_password"]
    assert len(password) >= 12 and created["is_admin"] is False and created["disabled"] is False
    listed = (await admin.get("/api/admin/users")).json()["data"]
    assert "initial_password" not in listed[0]
    assert {u["username"] for u in listed} == {"root", "carol"}
    async with client_of(app) as carol:
        await token_for(carol, "carol", password)

    r = await admin.post("/api/admin/users", json={"username": "dave", "password": PASSWORD})
    assert r.status_code == 201 and r.json()["initial_password"] is None
    again = await admin.post("/api/admin/users", json={"username": "dave", "password": PASSWORD})
    assert again.status_code == 409 and again.json()["field"] == "username"
    short = await admin.post("/api/admin/users", json={"username": "eve", "password": "short"})
    assert short.status_code == 422 and short.json()["detail"][0]["loc"] == ["body", "password"]


async def test_disabling_stops_every_credential_at_once_and_enabling_restores_them(
    admin: httpx.AsyncClient, make_user: UserFactory, app: FastAPI
) -> None:
    bob = await make_user("bob")
    async with client_of(app) as browser:
        r = await browser.post("/api/auth/login", json={"username": "bob", "password": PASSWORD})
        assert r.status_code == 200
        assert (await browser.get("/api/me")).status_code == 200
        bob_id = await user_id(admin, "bob")

        r = await admin.patch(f"/api/admin/users/{bob_id}", json={"disabled": True})
        assert r.status_code == 200 and r.json()["disabled"] is True
        assert (await bob.get("/api/me")).status_code == 401  # API token
        assert (await browser.get("/api/me")).status_code == 401  # session cookie
        login = await browser.post(
            "/api/auth/login", json={"username": "bob", "password": PASSWORD}
        )
        assert login.status_code == 403 and "disabled" in login.json()["detail"]

        r = await admin.patch(f"/api/admin/users/{bob_id}", json={"disabled": False})
        assert r.status_code == 200 and r.json()["disabled"] is False
        assert (await bob.get("/api/me")).status_code == 200
    actions = [e["action"] for e in (await admin.get("/api/admin/audit")).json()["data"]]
    assert actions[:2] == ["user.update", "user.disable"]


async def test_an_admin_cannot_lock_themselves_or_everyone_out(
    admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    root = await user_id(admin, "root")
    for body in ({"disabled": True}, {"is_admin": False}):
        r = await admin.patch(f"/api/admin/users/{root}", json=body)
        assert r.status_code == 409, r.text
    r = await admin.delete(f"/api/admin/users/{root}", params={"volumes": "keep", "posts": "keep"})
    assert r.status_code == 409
    other = await make_user("second", admin=True)
    # With a second admin, the first may be demoted by them, but not the last one left.
    assert (await other.patch(f"/api/admin/users/{root}", json={"is_admin": False})).is_success
    second = await user_id(other, "second")
    r = await other.patch(f"/api/admin/users/{second}", json={"is_admin": False})
    assert r.status_code == 409
    assert (await admin.get("/api/admin/users")).status_code == 403  # demoted: at once


async def test_granting_admin_opens_the_admin_api_to_that_token(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    assert (await alice.get("/api/admin/users")).status_code == 403
    alice_id = await user_id(admin, "alice")
    r = await admin.patch(f"/api/admin/users/{alice_id}", json={"is_admin": True})
    assert r.status_code == 200 and r.json()["is_admin"] is True
    assert (await alice.get("/api/admin/users")).status_code == 200
    bad = await admin.patch(f"/api/admin/users/{alice_id}", json={"is_admin": "yes"})
    assert bad.status_code == 422
    unknown = await admin.patch(f"/api/admin/users/{alice_id}", json={"username": "x"})
    assert unknown.status_code == 422
    assert (await admin.patch("/api/admin/users/999999", json={})).status_code == 404


async def test_resetting_a_password_ends_sessions_and_shows_the_new_one_once(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient, app: FastAPI
) -> None:
    alice_id = await user_id(admin, "alice")
    async with client_of(app) as browser:
        await browser.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
        r = await admin.post(f"/api/admin/users/{alice_id}/password", json={})
        assert r.status_code == 200, r.text
        new_password = r.json()["initial_password"]
        assert (await browser.get("/api/me")).status_code == 401
        old = await browser.post(
            "/api/auth/login", json={"username": "alice", "password": PASSWORD}
        )
        assert old.status_code == 401
        await token_for(browser, "alice", new_password)
    r = await admin.post(f"/api/admin/users/{alice_id}/password", json={"password": "x"})
    assert r.status_code == 422
    chosen = await admin.post(
        f"/api/admin/users/{alice_id}/password", json={"password": "a-chosen-password"}
    )
    assert chosen.status_code == 200 and chosen.json()["initial_password"] is None
    audit = (await admin.get("/api/admin/audit", params={"action": "user.password_reset"})).json()
    assert audit["count"] == 2 and audit["data"][0]["target"] == f"user {alice_id} (alice)"


async def test_deleting_a_user_removes_their_data_and_records_the_choice(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    assert (await alice.post("/api/todos", json={"title": "mine"})).status_code == 201
    alice_id = await user_id(admin, "alice")
    missing = await admin.delete(f"/api/admin/users/{alice_id}", params={"volumes": "keep"})
    assert missing.status_code == 422
    bad = await admin.delete(
        f"/api/admin/users/{alice_id}", params={"volumes": "maybe", "posts": "keep"}
    )
    assert bad.status_code == 422
    r = await admin.delete(
        f"/api/admin/users/{alice_id}", params={"volumes": "remove", "posts": "remove"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "alice"
    assert (await alice.get("/api/me")).status_code == 401
    assert {u["username"] for u in (await admin.get("/api/admin/users")).json()["data"]} == {"root"}
    (entry,) = (await admin.get("/api/admin/audit", params={"action": "user.delete"})).json()[
        "data"
    ]
    assert entry["details"]["volumes"] == "remove" and entry["actor"] == "root"
