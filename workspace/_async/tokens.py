"""Personal API tokens: the secret is shown once, at creation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from workspace.models import ApiTokenCreate, ApiTokenCreated, ApiTokenPublic

if TYPE_CHECKING:
    from workspace._async.client import AsyncClient

_TOKENS = TypeAdapter(list[ApiTokenPublic])


class AsyncTokens:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self) -> list[ApiTokenPublic]:
        response = await self._client.request("GET", "/api/tokens")
        return _TOKENS.validate_json(response.content)

    async def create(self, name: str) -> ApiTokenCreated:
        body = ApiTokenCreate(name=name).model_dump()
        return await self._client.call(ApiTokenCreated, "POST", "/api/tokens", json=body)

    async def revoke(self, token_id: int) -> None:
        await self._client.request("DELETE", f"/api/tokens/{token_id}")
