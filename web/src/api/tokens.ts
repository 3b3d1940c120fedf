/** Personal API tokens. */
import {
  createTokenApiTokensPost,
  listTokensApiTokensGet,
  revokeTokenApiTokensTokenIdDelete,
} from "../client/sdk.gen";
import "./http";
import type { ApiTokenCreated, ApiTokenPublic, TokenScope } from "./types";

export async function fetchTokens(): Promise<ApiTokenPublic[]> {
  return (await listTokensApiTokensGet()).data;
}

export async function createToken(
  name: string,
  scope: TokenScope,
  expiresInDays: number | null,
): Promise<ApiTokenCreated> {
  const body = { name, scope, expires_in_days: expiresInDays };
  return (await createTokenApiTokensPost({ body })).data;
}

export async function revokeToken(id: number): Promise<void> {
  await revokeTokenApiTokensTokenIdDelete({ path: { token_id: id } });
}
