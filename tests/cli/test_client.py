"""The Python client itself: where credentials come from, errors with field and reason, the live
feed, and notebooks waited for (asynchronously; the command uses the synchronous twin)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.environment import TEST_IMAGE
from tests.support.stack import Stack
from workspace import AsyncClient, Client, Conflict, Invalid, NotebookFailed, Unauthorized, config
from workspace.errors import Problem, error_for
from workspace.feed import Event, Snapshot
from workspace.models import NotebookCreate, NotebookPublic, Status


@pytest.fixture
def saved_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("WORKSPACE_URL", raising=False)
    monkeypatch.delenv("WORKSPACE_TOKEN", raising=False)
    config.save(config.Saved("http://saved.example:8000", "wst_saved", "alice", 3))
    return tmp_path


def test_credentials_come_from_arguments_then_environment_then_the_file(
    saved_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert config.resolve() == config.Credentials("http://saved.example:8000", "wst_saved")
    monkeypatch.setenv("WORKSPACE_TOKEN", "wst_env")
    assert config.resolve().token == "wst_env"
    monkeypatch.setenv("WORKSPACE_URL", "http://env.example/")
    assert config.resolve() == config.Credentials("http://env.example", "wst_env")
    assert config.resolve("args.example:1", "wst_arg") == config.Credentials(
        "http://args.example:1", "wst_arg"
    )
    # The file's token goes to the file's server only.
    monkeypatch.delenv("WORKSPACE_TOKEN")
    assert config.resolve().token is None
    assert config.resolve("http://saved.example:8000/").token == "wst_saved"
    assert json.loads((saved_home / "workspace" / "config.json").read_text())["token_id"] == 3
    with Client() as ws:
        assert ws.http.headers.get("authorization") is None


def test_errors_carry_field_and_reason() -> None:
    invalid = error_for(
        422,
        {"detail": [{"loc": ["body", "tags", 0], "msg": "too long", "type": "x"},
                    {"loc": ["query", "limit"], "msg": "too big", "type": "y"}]},
    )  # fmt: skip
    assert isinstance(invalid, Invalid)
    assert invalid.problems == [Problem("tags.0", "too long"), Problem("limit", "too big")]
    assert (invalid.field, invalid.reason, str(invalid)) == (
        "tags.0",
        "too long",
        "tags.0: too long; limit: too big",
    )
    taken = error_for(409, {"detail": "you already have one", "field": "name"})
    assert isinstance(taken, Conflict) and (taken.field, taken.reason) == (
        "name",
        "you already have one",
    )
    throttled = error_for(429, {"detail": "slow down"}, "7")
    assert throttled.retry_after == 7 and throttled.field is None


async def test_async_client_feed_errors_and_a_notebook_waited_for(stack: Stack) -> None:
    api = await stack.user("alice")
    token = api.headers["Authorization"].removeprefix("Bearer ")
    async with AsyncClient(stack.base_url, token) as ws:
        assert (await ws.me()).username == "alice"
        async with ws.feed() as feed:
            assert feed.snapshot == Snapshot(notebooks=[])
            todo = await ws.todos.quick_add("Ship it #release !h")
            # The tag it made comes first.
            while not isinstance(event := await feed.next(timeout=30), Event) or (
                event.topic != "todo"
            ):
                pass
            assert (event.topic, event.action, event.id) == ("todo", "created", todo.id)
            assert event.data is not None and event.data["tags"] == ["release"]

        with pytest.raises(Invalid) as invalid:
            await ws.notebooks.create(NotebookCreate(name="Not A Name"))
        assert invalid.value.field == "name" and "pattern" in invalid.value.reason
        await ws.lists.create("Work")
        with pytest.raises(Conflict) as taken:
            await ws.lists.create("Work")
        assert taken.value.field == "name"

        seen: list[Status] = []

        def record(notebook: NotebookPublic) -> None:
            if not seen or seen[-1] != notebook.status:  # a status can change twice (its port)
                seen.append(notebook.status)

        lab = await ws.notebooks.create(
            NotebookCreate(name="lab", image=TEST_IMAGE), wait=True, on_change=record
        )
        assert lab.status == Status.healthy
        assert seen == [Status.pending, Status.creating, Status.starting, Status.healthy]
        assert (await ws.notebooks.get("lab")).id == lab.id
        stopped = await ws.notebooks.stop("lab", wait=True)
        assert stopped.status == Status.stopped
        gone = await ws.notebooks.delete(lab, purge=True, wait=True)
        assert gone.status == Status.removed

        with pytest.raises(NotebookFailed) as failed:
            await ws.notebooks.create(
                NotebookCreate(name="broken", image="workspace/absent:latest"), wait=True
            )
        assert "is not on this Docker host" in (failed.value.reason or "")

    async with AsyncClient(stack.base_url, "wst_not-a-token") as stranger:
        with pytest.raises(Unauthorized) as refused:
            await stranger.todos.list()
        assert refused.value.reason == "invalid, expired or revoked API token"
        with pytest.raises(Unauthorized):
            async with stranger.feed():
                pass
