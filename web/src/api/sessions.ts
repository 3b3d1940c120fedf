/** Your own sign-in sessions and password. */
import {
  changePasswordApiAuthPasswordPost,
  endSessionApiAuthSessionsSessionIdDelete,
  endSessionsApiAuthSessionsDelete,
  listSessionsApiAuthSessionsGet,
} from "../client/sdk.gen";
import "./http";
import type { SessionPublic } from "./types";

export async function fetchSessions(): Promise<SessionPublic[]> {
  return (await listSessionsApiAuthSessionsGet()).data;
}

export async function endSession(id: number): Promise<void> {
  await endSessionApiAuthSessionsSessionIdDelete({ path: { session_id: id } });
}

/** Every session ends; with `keepCurrent`, all but this one. */
export async function endSessions(keepCurrent: boolean): Promise<void> {
  await endSessionsApiAuthSessionsDelete({ query: { keep_current: keepCurrent } });
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await changePasswordApiAuthPasswordPost({
    body: { current_password: currentPassword, new_password: newPassword },
  });
}
