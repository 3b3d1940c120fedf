/** Personal API tokens. */
import * as sdk from "../client/sdk.gen";
import "./http";
import type { ApiTokenCreated, ApiTokenPublic, TokenScope } from "./types";

export async function fetchTokens(): Promise<ApiTokenPublic[]> {
  return (await sdk.listTokens()).data;
}

export async function createToken(
  name: string,
  scope: TokenScope,
  expiresInDays: number | null,
): Promise<ApiTokenCreated> {
  const body = { name, scope, expires_in_days: expiresInDays };
  return (await sdk.createToken({ body })).data;
}

export async function revokeToken(id: number): Promise<void> {
  await sdk.revokeToken({ path: { token_id: id } });
}
