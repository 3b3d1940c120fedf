"""Every user's notebooks for admins: listed with owner and resources, stopped or deleted by
an admin through the notebooks service (the owner is told why)."""

from __future__ import annotations

import httpx
import pytest

from app.models.notebook import DesiredState
from tests.support.fixtures import UserFactory

pytestmark = pytest.mark.usefixtures("backend", "docker_up")


async def test_list_stop_and_delete_any_notebook(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient, make_user: UserFactory
) -> None:
    bob = await make_user("bob")
    a = (await alice.post("/api/notebooks", json={"name": "lab", "cpus": 0.5})).json()
    b = (await bob.post("/api/notebooks", json={"name": "lab"})).json()
    listed = (await admin.get("/api/admin/notebooks")).json()
    assert listed["count"] == 2
    rows = {n["id"]: n for n in listed["data"]}
    assert (rows[a["id"]]["owner"], rows[a["id"]]["cpus"]) == ("alice", 0.5)
    assert rows[b["id"]]["owner"] == "bob" and rows[b["id"]]["status"] == "pending"
    assert "jupyter_token" not in rows[a["id"]]

    r = await admin.post(f"/api/admin/notebooks/{a['id']}/stop")
    assert r.status_code == 202, r.text
    assert r.json()["desired_state"] == DesiredState.stopped
    mine = (await alice.get(f"/api/notebooks/{a['id']}")).json()
    assert mine["desired_state"] == "stopped" and "administrator root" in mine["status_reason"]

    r = await admin.delete(f"/api/admin/notebooks/{b['id']}", params={"purge": True})
    assert r.status_code == 202 and r.json()["desired_state"] == "deleted"
    assert (await bob.get(f"/api/notebooks/{b['id']}")).status_code == 404
    assert (await admin.get("/api/admin/notebooks")).json()["count"] == 1
    assert (await admin.post("/api/admin/notebooks/999999/stop")).status_code == 404
    actions = [e["action"] for e in (await admin.get("/api/admin/audit")).json()["data"]]
    assert actions[:2] == ["notebook.delete", "notebook.stop"]


async def test_disabling_a_user_stops_their_notebooks(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    made = [(await alice.post("/api/notebooks", json={"name": f"n{i}"})).json() for i in range(2)]
    users = (await admin.get("/api/admin/users")).json()["data"]
    (alice_row,) = [u for u in users if u["username"] == "alice"]
    assert alice_row["notebook_count"] == 2
    r = await admin.patch(f"/api/admin/users/{alice_row['id']}", json={"disabled": True})
    assert r.status_code == 200
    listed = {n["id"]: n for n in (await admin.get("/api/admin/notebooks")).json()["data"]}
    for notebook in made:
        row = listed[notebook["id"]]
        assert row["desired_state"] == "stopped"
        assert row["status_reason"] == "stopped: the account was disabled"
    (entry, *_) = (await admin.get("/api/admin/audit")).json()["data"]
    assert entry["action"] == "user.disable"
    assert sorted(entry["details"]["stopped"]) == sorted(n["id"] for n in made)
