/** Sign in, sign out, who am I. */
import { loginApiAuthLoginPost, logoutApiAuthLogoutPost, meApiMeGet } from "../client/sdk.gen";
import "./http";
import type { UserPublic } from "./types";

export async function fetchMe(): Promise<UserPublic> {
  return (await meApiMeGet()).data;
}

export async function login(username: string, password: string): Promise<UserPublic> {
  return (await loginApiAuthLoginPost({ body: { username, password } })).data;
}

export async function logout(): Promise<void> {
  await logoutApiAuthLogoutPost();
}
