"""The messages of the live feed (`/api/events`): a snapshot on connect, then events."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

from workspace.models import NotebookPublic


class Snapshot(BaseModel):
    """Sent first: the user's notebooks as they are now."""

    type: Literal["snapshot"] = "snapshot"
    notebooks: list[NotebookPublic]


class Event(BaseModel):
    """A change: `topic` is notebook, todo, list or tag; `version` orders an object's events."""

    type: Literal["event"] = "event"
    topic: str
    action: str
    id: int
    version: int | None = None
    data: dict[str, Any] | None = None

    @property
    def notebook(self) -> NotebookPublic | None:
        """The notebook as it is now, for a notebook event that carries it whole."""
        if self.topic != "notebook" or not self.data or self.data.get("partial"):
            return None
        return NotebookPublic.model_validate(self.data)


Message = Snapshot | Event


def parse(raw: str | bytes) -> Message | None:
    """A feed message, or None for a heartbeat (or a kind this client does not know)."""
    data = json.loads(raw)
    if data.get("type") == "snapshot":
        return Snapshot.model_validate(data)
    if data.get("type") == "event":
        return Event.model_validate(data)
    return None
