"""What another local account could read: the first-run admin password was printed to the
log, and the data directory and its files (the database among them) were not owner-only."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import httpx

from tests.attacks.conftest import ApiStarter
from tests.support.databases import migrate


async def test_the_data_directory_is_owner_only_and_the_password_stays_in_its_file(
    start_apis: ApiStarter, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "left-by-an-older-version.log").write_text("x")
    (data / "left-by-an-older-version.log").chmod(0o644)
    database = f"sqlite+aiosqlite:///{data / 'workspace.db'}"
    await asyncio.to_thread(migrate, database)
    (api,) = await start_apis(
        environment="development", data_dir=data, database_url=database, admin_username=None
    )
    password = (data / "initial-admin-password").read_text().strip()
    async with httpx.AsyncClient(base_url=api.url) as client:
        r = await client.post("/api/auth/login", json={"username": "admin", "password": password})
        assert r.status_code == 200, r.text
        await client.get("/api/todos")  # the database writes its journal files
    assert password not in api.service.output()
    assert "initial-admin-password" in api.service.output()
    modes = {
        str(path.relative_to(tmp_path)): stat.S_IMODE(path.stat().st_mode)
        for path in (data, *data.rglob("*"))
    }
    wanted = {name: 0o700 if (tmp_path / name).is_dir() else 0o600 for name in modes}
    assert modes == wanted
