# Generated from workspace/_async/tokens.py by scripts/unasync.py: do not edit.
"""Personal API tokens: the secret is shown once, at creation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from workspace.models import ApiTokenCreate, ApiTokenCreated, ApiTokenPublic

if TYPE_CHECKING:
    from workspace._sync.client import Client

_TOKENS = TypeAdapter(list[ApiTokenPublic])


class Tokens:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self) -> list[ApiTokenPublic]:
        response = self._client.request("GET", "/api/tokens")
        return _TOKENS.validate_json(response.content)

    def create(self, name: str) -> ApiTokenCreated:
        body = ApiTokenCreate(name=name).model_dump()
        return self._client.call(ApiTokenCreated, "POST", "/api/tokens", json=body)

    def revoke(self, token_id: int) -> None:
        self._client.request("DELETE", f"/api/tokens/{token_id}")
