/** Administration endpoints, through the generated client. */
import {
  createUserApiAdminUsersPost,
  deleteAnyNotebookApiAdminNotebooksNotebookIdDelete,
  deleteUserApiAdminUsersUserIdDelete,
  getSiteSettingsApiAdminSettingsGet,
  listAllNotebooksApiAdminNotebooksGet,
  listAuditEntriesApiAdminAuditGet,
  listUsersApiAdminUsersGet,
  resetPasswordApiAdminUsersUserIdPasswordPost,
  stopAnyNotebookApiAdminNotebooksNotebookIdStopPost,
  updateSiteSettingsApiAdminSettingsPatch,
  updateUserApiAdminUsersUserIdPatch,
} from "../client/sdk.gen";
import type { AdminUserCreate, AdminUserUpdate, SiteSettingsUpdate } from "../client/types.gen";
import "../api/http";

/** What happens to a deleted user's volumes and posts. */
export type KeepOrRemove = "keep" | "remove";

export type {
  AdminNotebook,
  AdminUserCreated,
  AdminUserPublic,
  AuditEntryPublic,
  ImageChoice,
  ImageStatus,
  SiteSettingsPublic,
  SiteSettingsUpdate,
  SiteValues,
} from "../client/types.gen";

export const fetchUsers = async () => (await listUsersApiAdminUsersGet()).data;
export const createUser = async (body: AdminUserCreate) =>
  (await createUserApiAdminUsersPost({ body })).data;
export const updateUser = async (id: number, body: AdminUserUpdate) =>
  (await updateUserApiAdminUsersUserIdPatch({ path: { user_id: id }, body })).data;
export const resetPassword = async (id: number, password?: string) =>
  (await resetPasswordApiAdminUsersUserIdPasswordPost({ path: { user_id: id }, body: { password } }))
    .data;
export const deleteUser = async (id: number, volumes: KeepOrRemove, posts: KeepOrRemove) =>
  (await deleteUserApiAdminUsersUserIdDelete({ path: { user_id: id }, query: { volumes, posts } }))
    .data;

export const fetchAllNotebooks = async () => (await listAllNotebooksApiAdminNotebooksGet()).data;
export const stopAnyNotebook = async (id: number) =>
  (await stopAnyNotebookApiAdminNotebooksNotebookIdStopPost({ path: { notebook_id: id } })).data;
export const deleteAnyNotebook = async (id: number, purge: boolean) =>
  (
    await deleteAnyNotebookApiAdminNotebooksNotebookIdDelete({
      path: { notebook_id: id },
      query: { purge },
    })
  ).data;

export const fetchSiteSettings = async () => (await getSiteSettingsApiAdminSettingsGet()).data;
export const updateSiteSettings = async (body: SiteSettingsUpdate) =>
  (await updateSiteSettingsApiAdminSettingsPatch({ body })).data;

export const fetchAudit = async (offset: number, action?: string) =>
  (await listAuditEntriesApiAdminAuditGet({ query: { limit: 50, offset, action } })).data;
