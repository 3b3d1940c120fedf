from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.main import create_app
from app.services.accounts import users
from tests.support.environment import PASSWORD
from tests.support.fixtures import UserFactory


@pytest.fixture
async def carol(app: FastAPI) -> str:
    async with app.state.sessionmaker() as db:
        await users.create_user(db, "carol", PASSWORD)
    return "carol"


async def login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/api/auth/login", json={"username": username, "password": password})


async def test_login_sets_httponly_session_cookie_and_me_answers(
    backend: str, client: httpx.AsyncClient, carol: str
) -> None:
    r = await login(client, carol)
    assert r.status_code == 200
    assert r.json()["username"] == "carol"
    set_cookies = r.headers.get_list("set-cookie")
    session = next(c for c in set_cookies if c.startswith("workspace_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session
    me = await client.get("/api/me")
    assert me.status_code == 200 and me.json()["username"] == "carol"


async def test_wrong_password_is_401_and_repeated_failures_are_throttled(
    backend: str, client: httpx.AsyncClient, carol: str
) -> None:
    for _ in range(5):
        assert (await login(client, carol, "wrong-password")).status_code == 401
    r = await login(client, carol)  # even the right password waits now
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0


async def test_unknown_user_and_missing_credentials_are_401(
    backend: str, client: httpx.AsyncClient
) -> None:
    assert (await login(client, "nobody")).status_code == 401
    assert (await client.get("/api/me")).status_code == 401
    r = await client.get("/api/me", headers={"Authorization": "Bearer wst_nope"})
    assert r.status_code == 401


async def test_cookie_requests_that_change_state_need_the_csrf_header(
    backend: str, client: httpx.AsyncClient, carol: str
) -> None:
    await login(client, carol)
    assert (await client.post("/api/tokens", json={"name": "x"})).status_code == 403
    r = await client.post("/api/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    r = await client.post(
        "/api/tokens",
        json={"name": "x"},
        headers={"X-CSRF-Token": client.cookies["workspace_csrf"]},
    )
    assert r.status_code == 201


async def test_logout_ends_the_session(backend: str, client: httpx.AsyncClient, carol: str) -> None:
    await login(client, carol)
    session = client.cookies["workspace_session"]
    r = await client.post(
        "/api/auth/logout", headers={"X-CSRF-Token": client.cookies["workspace_csrf"]}
    )
    assert r.status_code == 204
    r = await client.get("/api/me", cookies={"workspace_session": session})
    assert r.status_code == 401


async def test_tokens_are_shown_once_listed_without_secret_and_revocable(
    backend: str, make_user: UserFactory
) -> None:
    dave = await make_user("dave")
    created = (await dave.post("/api/tokens", json={"name": "ci"})).json()
    assert created["token"].startswith("wst_")
    listed = (await dave.get("/api/tokens")).json()
    assert {t["name"] for t in listed} == {"tests", "ci"}
    assert all("token" not in t and "token_hash" not in t for t in listed)
    script = httpx.AsyncClient(transport=dave._transport, base_url="http://test")
    async with script:
        ok = await script.get("/api/me", headers={"Authorization": f"Bearer {created['token']}"})
        assert ok.status_code == 200
        assert (await dave.delete(f"/api/tokens/{created['id']}")).status_code == 204
        gone = await script.get("/api/me", headers={"Authorization": f"Bearer {created['token']}"})
        assert gone.status_code == 401


async def test_another_users_token_is_404(backend: str, make_user: UserFactory) -> None:
    erin, frank = await make_user("erin"), await make_user("frank")
    token_id = (await erin.get("/api/tokens")).json()[0]["id"]
    assert (await frank.delete(f"/api/tokens/{token_id}")).status_code == 404
    assert len((await erin.get("/api/tokens")).json()) == 1


async def test_first_admin_is_created_from_settings_once(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None
) -> None:
    settings = settings_factory(database_url, admin_username="root", admin_password="rootpassword")
    for _ in range(2):  # a restart must not fail nor duplicate
        application = create_app(settings)
        async with (
            application.router.lifespan_context(application),
            application.state.sessionmaker() as db,
        ):
            assert await users.count_users(db) == 1
            assert await users.authenticate(db, "root", "rootpassword") is not None


async def test_health_and_ready(backend: str, client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/health")).json() == {"status": "ok"}
    r = await client.get("/api/ready")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_docs_page_is_served_without_a_cdn(client: httpx.AsyncClient) -> None:
    r = await client.get("/docs")
    assert r.status_code == 200
    assert "cdn" not in r.text.lower()
    asset = await client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert asset.status_code == 200


async def test_first_run_in_development_makes_an_admin_with_a_printed_password(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None
) -> None:
    settings = settings_factory(database_url, environment="development")
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        password = (settings.data_dir / "initial-admin-password").read_text().strip()
        assert oct((settings.data_dir / "initial-admin-password").stat().st_mode)[-3:] == "600"
        async with application.state.sessionmaker() as db:
            admin = await users.authenticate(db, "admin", password)
            assert admin is not None and admin.is_admin


async def test_redis_down_is_a_clear_503_not_a_500(
    settings_factory: Callable[..., Settings], database_url: str, clean_state: None
) -> None:
    settings = settings_factory(database_url, redis_url="redis://127.0.0.1:1/0")
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            r = await client.post("/api/auth/login", json={"username": "x", "password": "y"})
            assert r.status_code == 503
            assert "Redis is unavailable" in r.json()["detail"]
            ready = await client.get("/api/ready")
            assert ready.status_code == 503 and ready.json()["redis"].startswith("error")
            assert (await client.get("/api/health")).status_code == 200


async def test_a_token_revokes_itself_whatever_its_scope_but_no_other(
    app: FastAPI, alice: httpx.AsyncClient
) -> None:
    made = [
        (await alice.post("/api/tokens", json={"name": n, "scope": "write"})).json() for n in "ab"
    ]
    first, second = made
    script = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    script.headers["Authorization"] = f"Bearer {first['token']}"
    async with script:
        other = await script.delete(f"/api/tokens/{second['id']}")
        assert other.status_code == 403, other.text
        assert (await script.delete(f"/api/tokens/{first['id']}")).status_code == 204
        assert (await script.get("/api/me")).status_code == 401
    listed = {t["id"] for t in (await alice.get("/api/tokens")).json()}
    assert second["id"] in listed and first["id"] not in listed
