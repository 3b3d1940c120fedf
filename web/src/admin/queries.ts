import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { keys } from "../api/keys";
import type { AdminUserCreate, AdminUserUpdate } from "../client/types.gen";
import {
  createUser,
  deleteAnyNotebook,
  deleteUser,
  fetchAllNotebooks,
  fetchAudit,
  fetchSiteSettings,
  fetchUsers,
  resetPassword,
  stopAnyNotebook,
  updateSiteSettings,
  updateUser,
  type KeepOrRemove,
  type SiteSettingsUpdate,
} from "./api";

// Every user's notebooks change without a live event reaching the admin (the feed carries a
// user's own objects only), so this page asks again every few seconds.
const NOTEBOOKS_REFRESH_MS = 3000;

export const useUsers = () => useQuery({ queryKey: keys.adminUsers, queryFn: fetchUsers });

function useAdminMutation<A, R>(fn: (args: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => void qc.invalidateQueries({ queryKey: keys.admin }),
  });
}

export const useCreateUser = () => useAdminMutation((body: AdminUserCreate) => createUser(body));
export const useUpdateUser = () =>
  useAdminMutation(({ id, body }: { id: number; body: AdminUserUpdate }) => updateUser(id, body));
export const useResetPassword = () =>
  useAdminMutation(({ id, password }: { id: number; password?: string }) => resetPassword(id, password));
export const useDeleteUser = () =>
  useAdminMutation(({ id, volumes, posts }: { id: number; volumes: KeepOrRemove; posts: KeepOrRemove }) =>
    deleteUser(id, volumes, posts),
  );

export const useAllNotebooks = () =>
  useQuery({ queryKey: keys.adminNotebooks, queryFn: fetchAllNotebooks, refetchInterval: NOTEBOOKS_REFRESH_MS });
export const useStopAnyNotebook = () => useAdminMutation((id: number) => stopAnyNotebook(id));
export const useDeleteAnyNotebook = () =>
  useAdminMutation(({ id, purge }: { id: number; purge: boolean }) => deleteAnyNotebook(id, purge));

export const useSiteSettings = () =>
  useQuery({ queryKey: keys.adminSettings, queryFn: fetchSiteSettings, refetchInterval: 5000 });
export function useUpdateSiteSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SiteSettingsUpdate) => updateSiteSettings(body),
    onSuccess: (fresh) => {
      qc.setQueryData(keys.adminSettings, fresh);
      void qc.invalidateQueries({ queryKey: keys.notebookOptions });
      void qc.invalidateQueries({ queryKey: keys.adminAudit });
    },
  });
}

export const useAudit = (offset: number, action: string) =>
  useQuery({
    queryKey: [...keys.adminAudit, offset, action],
    queryFn: () => fetchAudit(offset, action || undefined),
  });
