/** Sign in, sign out, who am I. */
import * as sdk from "../client/sdk.gen";
import "./http";
import type { UserPublic } from "./types";

export async function fetchMe(): Promise<UserPublic> {
  return (await sdk.me()).data;
}

export async function login(username: string, password: string): Promise<UserPublic> {
  return (await sdk.login({ body: { username, password } })).data;
}

export async function logout(): Promise<void> {
  await sdk.logout();
}
