"""Site settings over the environment (which value wins, shown per setting), the image
allow-list with per-image defaults, per-notebook maxima, and per-user quotas enforced at
create and at start with an error naming the quota."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.environment import TEST_IMAGE

pytestmark = pytest.mark.usefixtures("backend", "docker_up")


async def patch(admin: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    r = await admin.patch("/api/admin/settings", json=values)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_stored_values_win_over_the_environment_until_cleared(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    shown = (await admin.get("/api/admin/settings")).json()
    assert shown["source"]["notebook_max_cpus"] == "environment"
    assert shown["effective"]["notebook_max_cpus"] == shown["environment"]["notebook_max_cpus"]

    shown = await patch(admin, notebook_max_cpus=0.5, notebook_idle_timeout_minutes=5)
    assert shown["source"]["notebook_max_cpus"] == "database"
    assert shown["effective"]["notebook_max_cpus"] == 0.5
    assert shown["environment"]["notebook_max_cpus"] == 2.0
    options = (await alice.get("/api/notebooks/options")).json()
    assert options["max_cpus"] == 0.5 and options["default_cpus"] == 0.5
    too_big = await alice.post("/api/notebooks", json={"name": "big", "cpus": 1})
    assert too_big.status_code == 422 and too_big.json()["detail"][0]["loc"] == ["body", "cpus"]
    made = await alice.post("/api/notebooks", json={"name": "small"})
    assert made.status_code == 202, made.text
    assert made.json()["idle_timeout_minutes"] == 5 and made.json()["cpus"] == 0.5

    shown = await patch(admin, notebook_max_cpus=None)
    assert shown["source"]["notebook_max_cpus"] == "environment"
    assert shown["effective"]["notebook_max_cpus"] == 2.0
    (entry, *_) = (await admin.get("/api/admin/audit")).json()["data"]
    assert entry["action"] == "settings.update"
    assert entry["details"]["changes"] == {"notebook_max_cpus": None}


async def test_the_image_allow_list_and_its_defaults(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    images = [
        {"image": TEST_IMAGE, "description": "tiny", "default_cpus": 0.25},
        {"image": "workspace/jupyter:latest", "default_memory_mb": 2048},
    ]
    shown = await patch(admin, notebook_images=images)
    assert [i["image"] for i in shown["images"]] == [TEST_IMAGE, "workspace/jupyter:latest"]
    assert shown["images"][0]["present"] is None  # no worker reports here
    options = (await alice.get("/api/notebooks/options")).json()
    assert options["default_image"] == TEST_IMAGE and options["default_cpus"] == 0.25
    r = await alice.post("/api/notebooks", json={"name": "lab"})
    assert (r.json()["image"], r.json()["cpus"]) == (TEST_IMAGE, 0.25)
    r = await alice.post(
        "/api/notebooks", json={"name": "big", "image": "workspace/jupyter:latest"}
    )
    assert r.json()["memory_mb"] == 2048
    refused = await alice.post("/api/notebooks", json={"name": "x", "image": "evil/miner"})
    assert refused.status_code == 422

    before = (await admin.get("/api/admin/settings")).json()
    bad: dict[str, Any]
    for bad in (
        {"notebook_images": []},
        {"notebook_images": [{"image": TEST_IMAGE}, {"image": TEST_IMAGE}]},
        {"notebook_images": [{"image": "Not An Image"}]},
        {"notebook_images": [{"image": TEST_IMAGE, "default_cpus": 64}]},
        {"notebook_max_cpus": -1},
        {"quota_notebooks": "many"},
        {"unknown": 1},
        {},
    ):
        r = await admin.patch("/api/admin/settings", json=bad)
        assert r.status_code == 422, (bad, r.text)
    assert (await admin.get("/api/admin/settings")).json() == before


async def test_the_notebook_count_quota_is_enforced_at_create(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    await patch(admin, quota_notebooks=1)
    assert (await alice.post("/api/notebooks", json={"name": "one"})).status_code == 202
    r = await alice.post("/api/notebooks", json={"name": "two"})
    assert r.status_code == 409, r.text
    assert r.json()["field"] == "quota_notebooks" and "at most 1 notebooks" in r.json()["detail"]
    assert (await bob.post("/api/notebooks", json={"name": "one"})).status_code == 202  # per user
    assert len((await alice.get("/api/notebooks")).json()["data"]) == 1


async def test_running_quotas_are_enforced_at_create_and_at_start(
    admin: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    await patch(admin, quota_running_cpus=1, quota_running_memory_mb=1536)
    first = await alice.post("/api/notebooks", json={"name": "a", "cpus": 0.75, "memory_mb": 512})
    assert first.status_code == 202
    r = await alice.post("/api/notebooks", json={"name": "b", "cpus": 0.5, "memory_mb": 512})
    assert r.status_code == 409 and r.json()["field"] == "quota_running_cpus", r.text
    r = await alice.post("/api/notebooks", json={"name": "b", "cpus": 0.25, "memory_mb": 1100})
    assert r.status_code == 409 and r.json()["field"] == "quota_running_memory_mb", r.text

    a = first.json()["id"]
    assert (await alice.post(f"/api/notebooks/{a}/stop")).status_code == 202
    second = await alice.post("/api/notebooks", json={"name": "b", "cpus": 0.5, "memory_mb": 512})
    assert second.status_code == 202, second.text
    # Starting the first again would need 1.25 CPUs in all.
    r = await alice.post(f"/api/notebooks/{a}/start")
    assert r.status_code == 409 and r.json()["field"] == "quota_running_cpus"
    assert "at most 1 CPUs" in r.json()["detail"]
    # A restart of a running notebook counts it once.
    assert (await alice.post(f"/api/notebooks/{second.json()['id']}/restart")).status_code == 202
    await patch(admin, quota_running_cpus=0)  # 0: no limit
    assert (await alice.post(f"/api/notebooks/{a}/start")).status_code == 202
