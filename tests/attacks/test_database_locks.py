"""A lock nobody lets go of: a migration's exclusive lock, or a transaction some process left
open. Requests that need the table must not queue behind it for ever, nor answer 500: the
connection's lock timeout ends the wait and the api says the database is busy."""

from __future__ import annotations

import asyncpg
import httpx

from app.core.config import Settings
from tests.attacks.conftest import ApiStarter
from tests.support.environment import PASSWORD
from tests.support.processes import token_for


async def test_a_table_locked_elsewhere_is_a_503_not_a_hang(
    start_apis: ApiStarter, account: str, settings: Settings
) -> None:
    (api,) = await start_apis(db_lock_timeout_seconds=1)
    url = settings.sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")
    # The client gives up long before the default statement timeout would end the wait.
    async with httpx.AsyncClient(base_url=api.url, timeout=20) as client:
        client.headers["Authorization"] = f"Bearer {await token_for(client, account, PASSWORD)}"
        assert (await client.get("/api/todos")).status_code == 200
        holder = await asyncpg.connect(url)
        try:
            async with holder.transaction():
                await holder.execute("LOCK TABLE todos IN ACCESS EXCLUSIVE MODE")
                r = await client.get("/api/todos")
                assert r.status_code == 503, r.text
                assert "busy" in r.json()["detail"]
                assert int(r.headers["retry-after"]) > 0
                assert (await client.get("/api/me")).status_code == 200  # other tables answer
        finally:
            await holder.close()
        assert (await client.get("/api/todos")).status_code == 200
