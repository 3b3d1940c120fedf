/** Personal API tokens. */
import {
  createTokenApiTokensPost,
  listTokensApiTokensGet,
  revokeTokenApiTokensTokenIdDelete,
} from "../client/sdk.gen";
import "./http";
import type { ApiTokenCreated, ApiTokenPublic } from "./types";

export async function fetchTokens(): Promise<ApiTokenPublic[]> {
  return (await listTokensApiTokensGet()).data;
}

export async function createToken(name: string): Promise<ApiTokenCreated> {
  return (await createTokenApiTokensPost({ body: { name } })).data;
}

export async function revokeToken(id: number): Promise<void> {
  await revokeTokenApiTokensTokenIdDelete({ path: { token_id: id } });
}
