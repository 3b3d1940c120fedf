"""Robustness sweep: property-based requests generated from the api's own OpenAPI schema
(schemathesis), sent with a valid token to a real api process. No answer may be a 500 or
break the schema: each operation alone, then sequences of them that follow the links
schemathesis infers between operations (an id a POST returned, used by the GET, PATCH and
DELETE of that object). Both are bounded: a fixed number of examples and steps.

The api runs without a worker, so notebooks are stored and queued but never started.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from redis.asyncio import Redis
from schemathesis import Case, Response
from schemathesis.checks import not_a_server_error, response_schema_conformance

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.main import create_app
from app.services.accounts import users
from app.services.notebooks import engine_status
from tests.support.databases import fresh_database
from tests.support.environment import INSTANCE, PASSWORD, SWEEP_PG_DB, SWEEP_REDIS_URL
from tests.support.processes import api_service, free_port, wait_http

CHECKS: list[Callable[..., Any]] = [not_a_server_error, response_schema_conformance]


async def _pretend_docker_is_up() -> None:
    """No worker runs here: say Docker is available (for good) so notebook requests are
    stored and queued like in production; the queued jobs simply never run."""
    redis = Redis.from_url(SWEEP_REDIS_URL, decode_responses=True)
    try:
        await redis.flushdb()
        await engine_status.report(redis, available=True)
        await redis.persist(engine_status.KEY)
    finally:
        await redis.aclose()


@pytest.fixture(scope="module")
async def sweep_target(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, str]]:
    url = await fresh_database(SWEEP_PG_DB)
    settings = Settings(
        environment="test",
        secret_key="sweep-secret",
        data_dir=tmp_path_factory.mktemp("sweep"),
        database_url=url,
        redis_url=SWEEP_REDIS_URL,
        instance=f"{INSTANCE}sweep",
    )
    await _pretend_docker_is_up()
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        await users.create_user(db, "sweeper", PASSWORD)
    await engine.dispose()
    api = api_service(settings, free_port())
    port = api.args[api.args.index("--port") + 1]
    base_url = f"http://127.0.0.1:{port}"
    await api.start()
    try:
        await wait_http(f"{base_url}/api/health")
        async with httpx.AsyncClient(base_url=base_url) as client:
            r = await client.post(
                "/api/auth/login", json={"username": "sweeper", "password": PASSWORD}
            )
            csrf = {"X-CSRF-Token": client.cookies["workspace_csrf"]}
            body = {"name": "sweep", "scope": "full"}
            token = (await client.post("/api/tokens", json=body, headers=csrf)).json()
        assert r.status_code == 200, r.text
        yield {"base_url": base_url, "token": token["token"], "database_url": url}
    finally:
        await api.stop()


# The schema is the app's own (built without running it); requests go to the live api.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(environment="test", secret_key="x")).openapi()
).exclude(
    # Revoking the sweep's own token (id 1) would turn the rest into 401s.
    method="DELETE",
    path="/api/tokens/{token_id}",
)


@schema.hook
def map_query(ctx: Any, query: dict[str, Any] | None) -> dict[str, Any] | None:
    """A followed log stream stays open until the client leaves, which a sweep's request
    never does: it would only end in the client's read timeout. Its tail is swept."""
    if query and query.get("follow"):
        return {**query, "follow": False}
    return query


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_500_or_breaks_its_schema(
    case: Any, sweep_target: dict[str, str]
) -> None:
    case.call_and_validate(
        base_url=sweep_target["base_url"],
        headers={"Authorization": f"Bearer {sweep_target['token']}"},
        checks=CHECKS,
        timeout=10,
    )


# What the sweep's user and token are made of stays; everything a sequence makes goes.
KEPT_TABLES = {"users", "sessions", "api_tokens", "alembic_version"}


async def _forget_what_sequences_made(database_url: str) -> None:
    """Every sequence starts from the same server state, ids included. Schemathesis draws
    later steps from earlier answers, so hypothesis sees the same choices lead to other
    draws when the state differs, and stops with "inconsistent data generation"."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [f'"{r["tablename"]}"' for r in rows if r["tablename"] not in KEPT_TABLES]
        await connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


def test_no_sequence_of_linked_operations_answers_500(sweep_target: dict[str, str]) -> None:
    target = sweep_target

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            asyncio.run(_forget_what_sequences_made(target["database_url"]))

        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {target['token']}"}
            return {"base_url": target["base_url"], "headers": headers, "timeout": 10}

        def validate_response(self, response: Response, case: Case[Any], **kwargs: Any) -> None:
            # Collected, not raised: the server keeps the state earlier steps made, so
            # hypothesis's replay of a failing sequence takes other paths and it would
            # report that ("inconsistent data generation") instead of the failure.
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # schemathesis raises a group of failures
                failures.append(f"{case.method} {case.formatted_path}: {exc}"[:2000])

    failures: list[str] = []

    assert Workflow.bundles, "schemathesis found no links between operations"
    Workflow.run(
        settings=hypothesis_settings(
            max_examples=40,
            stateful_step_count=8,
            phases=[Phase.explicit, Phase.generate],
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert not failures, "\n\n".join(failures)
