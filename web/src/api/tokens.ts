/** Personal API tokens. */
import * as sdk from "../client/sdk.gen";
import "./http";
import type { ApiTokenCreated, ApiTokenPublic } from "./types";

export async function fetchTokens(): Promise<ApiTokenPublic[]> {
  return (await sdk.listTokens()).data;
}

export async function createToken(name: string): Promise<ApiTokenCreated> {
  return (await sdk.createToken({ body: { name } })).data;
}

export async function revokeToken(id: number): Promise<void> {
  await sdk.revokeToken({ path: { token_id: id } });
}
