/** Administration endpoints, through the generated client. */
import * as sdk from "../client/sdk.gen";
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

export const fetchUsers = async () => (await sdk.listUsers()).data;
export const createUser = async (body: AdminUserCreate) =>
  (await sdk.createUser({ body })).data;
export const updateUser = async (id: number, body: AdminUserUpdate) =>
  (await sdk.updateUser({ path: { user_id: id }, body })).data;
export const resetPassword = async (id: number, password?: string) =>
  (await sdk.resetPassword({ path: { user_id: id }, body: { password } }))
    .data;
export const deleteUser = async (id: number, volumes: KeepOrRemove, posts: KeepOrRemove) =>
  (await sdk.deleteUser({ path: { user_id: id }, query: { volumes, posts } }))
    .data;

export const fetchAllNotebooks = async () => (await sdk.listAllNotebooks()).data;
export const stopAnyNotebook = async (id: number) =>
  (await sdk.stopAnyNotebook({ path: { notebook_id: id } })).data;
export const deleteAnyNotebook = async (id: number, purge: boolean) =>
  (
    await sdk.deleteAnyNotebook({
      path: { notebook_id: id },
      query: { purge },
    })
  ).data;

export const fetchSiteSettings = async () => (await sdk.getSiteSettings()).data;
export const updateSiteSettings = async (body: SiteSettingsUpdate) =>
  (await sdk.updateSiteSettings({ body })).data;

export const fetchAudit = async (offset: number, action?: string) =>
  (await sdk.listAuditEntries({ query: { limit: 50, offset, action } })).data;
