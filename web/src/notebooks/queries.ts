import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { keys } from "../api/keys";
import {
  createNotebook,
  deleteNotebook,
  fetchNotebookOptions,
  fetchNotebooks,
  notebookAction,
  updateNotebook,
} from "../api/notebooks";
import type { NotebookCreate, NotebookPublic, NotebookUpdate, Page } from "../api/types";
import { applyMessage, upsertNotebook } from "../live/merge";
import type { PhaseHistory } from "./phases";

/** The notebook list: the live feed's snapshot fills it and its events keep it current. */
export function useNotebooks() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.notebooks,
    queryFn: async () => {
      const page = await fetchNotebooks();
      // A fetched list is merged like a snapshot: it never undoes a newer live event.
      applyMessage(qc, { type: "snapshot", notebooks: page.data });
      return qc.getQueryData<Page<NotebookPublic>>(keys.notebooks) ?? page;
    },
    staleTime: Infinity,
  });
}

export function usePhases() {
  return useQuery<PhaseHistory>({
    queryKey: keys.notebookPhases,
    queryFn: () => ({}),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export const useNotebookOptions = () =>
  useQuery({
    queryKey: keys.notebookOptions,
    queryFn: fetchNotebookOptions,
    staleTime: 60_000,
    // While an image builds, its progress is followed every few seconds.
    refetchInterval: (query) => (query.state.data?.image_build ? 3000 : false),
  });

export function useCreateNotebook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NotebookCreate) => createNotebook(body),
    onSuccess: (notebook) => upsertNotebook(qc, notebook),
  });
}

export type NotebookActionName = "start" | "stop" | "restart";

export function useNotebookAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: NotebookActionName) => notebookAction(id, action),
    onSuccess: (notebook) => upsertNotebook(qc, notebook),
  });
}

export function useDeleteNotebook(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (purge: boolean) => deleteNotebook(id, purge),
    onSuccess: (notebook) => upsertNotebook(qc, notebook),
  });
}

export function useUpdateNotebook(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NotebookUpdate) => updateNotebook(id, body),
    onSuccess: (notebook) => upsertNotebook(qc, notebook),
  });
}
