"""The sign-in throttle must hold: against a race of concurrent guesses, against a client
that claims another address in X-Forwarded-For, and against one password sprayed over many
usernames."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.services.accounts import users
from tests.attacks.conftest import ApiStarter
from tests.support.environment import PASSWORD


async def guess(client: httpx.AsyncClient, username: str, **headers: str) -> int:
    r = await client.post(
        "/api/auth/login", json={"username": username, "password": "wrong-guess"}, headers=headers
    )
    return r.status_code


async def test_forty_concurrent_guesses_get_at_most_the_limit_checked(
    start_apis: ApiStarter, account: str
) -> None:
    first, second = await start_apis(2)
    async with (
        httpx.AsyncClient(base_url=first.url, timeout=120) as a,
        httpx.AsyncClient(base_url=second.url, timeout=120) as b,
    ):
        codes = Counter(
            await asyncio.gather(*(guess(a if i % 2 else b, account) for i in range(40)))
        )
        assert codes == {401: 5, 429: 35}, codes
        r = await a.post("/api/auth/login", json={"username": account, "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


async def test_a_forwarded_address_from_an_untrusted_peer_is_not_believed(
    start_apis: ApiStarter, account: str
) -> None:
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url) as client:
        codes = [
            await guess(client, account, **{"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(12)
        ]
    assert codes == [401] * 5 + [429] * 7


async def test_behind_a_trusted_proxy_the_forwarded_address_counts(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    """The proxy's own address is shared by everyone: the client's is the forwarded one,
    and one account is still throttled whatever address the guesses come from."""
    await _make_users(settings, [f"user{i}" for i in range(25)])
    (api,) = await start_apis(trusted_proxies=["127.0.0.1"], login_max_failures_per_address=3)
    async with httpx.AsyncClient(base_url=api.url) as client:
        spread = [
            await guess(client, f"user{i}", **{"X-Forwarded-For": f"203.0.113.{i}"})
            for i in range(10)
        ]
        assert spread == [401] * 10  # ten addresses, one attempt each
        one_account = [
            await guess(client, account, **{"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(7)
        ]
        assert one_account == [401] * 5 + [429] * 2


async def test_one_password_sprayed_over_many_usernames_is_throttled(
    start_apis: ApiStarter, settings: Settings
) -> None:
    names = [f"user{i}" for i in range(25)]
    await _make_users(settings, names)
    (api,) = await start_apis()
    async with httpx.AsyncClient(base_url=api.url) as client:
        codes = [await guess(client, name) for name in names]
        assert codes == [401] * 20 + [429] * 5
        r = await client.post("/api/auth/login", json={"username": "user0", "password": PASSWORD})
        assert r.status_code == 429  # this address waits, even with a right password


async def _make_users(settings: Settings, names: list[str]) -> None:
    engine = make_engine(settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as db:
            for name in names:
                await users.create_user(db, name, PASSWORD)
    finally:
        await engine.dispose()
