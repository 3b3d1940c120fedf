/** Your own sign-in sessions and password. */
import * as sdk from "../client/sdk.gen";
import "./http";
import type { SessionPublic } from "./types";

export async function fetchSessions(): Promise<SessionPublic[]> {
  return (await sdk.listSessions()).data;
}

export async function endSession(id: number): Promise<void> {
  await sdk.endSession({ path: { session_id: id } });
}

/** Every session ends; with `keepCurrent`, all but this one. */
export async function endSessions(keepCurrent: boolean): Promise<void> {
  await sdk.endSessions({ query: { keep_current: keepCurrent } });
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await sdk.changePassword({
    body: { current_password: currentPassword, new_password: newPassword },
  });
}
