/** Notebook servers. */
import { api } from "./request";
import type { NotebookCreate, NotebookOptions, NotebookPublic, Page } from "./types";

export const fetchNotebooks = () => api.get<Page<NotebookPublic>>("/api/notebooks");
export const fetchNotebookOptions = () => api.get<NotebookOptions>("/api/notebooks/options");
export const createNotebook = (body: NotebookCreate) =>
  api.post<NotebookPublic>("/api/notebooks", body);
export const notebookAction = (id: number, action: "start" | "stop" | "restart") =>
  api.post<NotebookPublic>(`/api/notebooks/${id}/${action}`);
export const deleteNotebook = (id: number, purge: boolean) =>
  api.delete<NotebookPublic>(`/api/notebooks/${id}`, purge ? { purge: true } : undefined);
export const logsUrl = (id: number, follow: boolean, tail = 200) =>
  `/api/notebooks/${id}/logs?tail=${tail}${follow ? "&follow=true" : ""}`;
