/**
 * Merges the live feed into the TanStack Query cache.
 *
 * Notebooks: the snapshot sets the list; an event applies only when its version is newer than
 * the cached notebook's (stale ones are dropped), so events arriving late or twice never move a
 * badge backwards. Todos, lists and tags: the cached object is updated in place at once (newer
 * versions only) and the queries that may have changed are returned to be invalidated, since a
 * change can move an object in or out of a filtered view. Posts likewise; an open editor's post
 * is refetched too, and the editor decides what a newer version means for its unsaved text.
 */
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { keys } from "../api/keys";
import type { NotebookPublic, Page } from "../api/types";
import { recordPhase, type PhaseHistory } from "../notebooks/phases";
import type { EventMessage, LiveMessage } from "./messages";

type NotebookPage = Page<NotebookPublic>;

function isNewer(incoming: { version?: number | null }, cached: { version?: number | null }): boolean {
  if (incoming.version == null || cached.version == null) return true;
  return incoming.version > cached.version;
}

function notePhases(qc: QueryClient, notebooks: NotebookPublic[], now: number): void {
  qc.setQueryData<PhaseHistory>(keys.notebookPhases, (prev = {}) => {
    const next: PhaseHistory = {};
    for (const nb of notebooks) next[nb.id] = recordPhase(prev[nb.id], nb.status, now);
    return { ...prev, ...next };
  });
}

/** Puts a notebook in the cached list unless the cache already holds the same or a newer version. */
export function upsertNotebook(qc: QueryClient, notebook: NotebookPublic, now = Date.now()): boolean {
  const page = qc.getQueryData<NotebookPage>(keys.notebooks);
  const data = page?.data ?? [];
  const index = data.findIndex((n) => n.id === notebook.id);
  const cached = index >= 0 ? data[index] : undefined;
  if (cached && !isNewer(notebook, cached)) return false;
  const next = cached ? data.map((n, i) => (i === index ? notebook : n)) : [...data, notebook];
  qc.setQueryData<NotebookPage>(keys.notebooks, { data: next, count: next.length });
  notePhases(qc, [notebook], now);
  return true;
}

/** Merges a fetched list with what the feed already put in the cache (newest version wins). */
export function mergeNotebookList(
  cached: NotebookPage | undefined,
  incoming: NotebookPage,
): NotebookPage {
  if (!cached) return incoming;
  const byId = new Map(cached.data.map((n) => [n.id, n]));
  const data = incoming.data.map((n) => {
    const have = byId.get(n.id);
    return have && !isNewer(n, have) ? have : n;
  });
  return { data, count: data.length };
}

function applySnapshot(qc: QueryClient, notebooks: NotebookPublic[], now: number): void {
  const merged = mergeNotebookList(qc.getQueryData<NotebookPage>(keys.notebooks), {
    data: notebooks,
    count: notebooks.length,
  });
  qc.setQueryData<NotebookPage>(keys.notebooks, merged);
  notePhases(qc, merged.data, now);
}

function applyNotebookEvent(qc: QueryClient, event: EventMessage, now: number): QueryKey[] {
  // A deleted notebook's last event is its container gone: then it leaves the list.
  const gone = event.data?.desired_state === "deleted" && event.data.status === "removed";
  if (event.action === "deleted" || gone) {
    qc.setQueryData<NotebookPage>(keys.notebooks, (page) => {
      if (!page) return page;
      const data = page.data.filter((n) => n.id !== event.id);
      return { data, count: data.length };
    });
    return [];
  }
  if (!event.data) return [keys.notebooks];
  const notebook = { ...event.data, id: event.id } as unknown as NotebookPublic;
  if (event.version != null) notebook.version = event.version;
  upsertNotebook(qc, notebook, now);
  return [];
}

/** Replaces (newer version only) or drops an object in every cached page under `prefix`. */
type Versioned = { id: number; version?: number };

function patchPages(qc: QueryClient, prefix: QueryKey, event: EventMessage): void {
  type T = Versioned;
  const incoming: T | null = event.data ? { ...event.data, id: event.id } : null;
  if (incoming && event.version != null) incoming.version = event.version;
  for (const [key, page] of qc.getQueriesData<Page<T>>({ queryKey: prefix })) {
    if (!page || !Array.isArray(page.data)) continue;
    const index = page.data.findIndex((item) => item.id === event.id);
    if (index < 0) continue;
    if (event.action === "deleted") {
      qc.setQueryData<Page<T>>(key, {
        data: page.data.filter((item) => item.id !== event.id),
        count: Math.max(0, page.count - 1),
      });
    } else if (incoming) {
      const cached = page.data[index];
      if (cached && !isNewer(incoming, cached)) continue;
      qc.setQueryData<Page<T>>(key, {
        ...page,
        data: page.data.map((item, i) => (i === index ? { ...item, ...incoming } : item)),
      });
    }
  }
}

/** Applies one message; returns the query keys to invalidate (the caller batches them). */
export function applyMessage(qc: QueryClient, message: LiveMessage, now = Date.now()): QueryKey[] {
  switch (message.type) {
    case "ping":
      return [];
    case "snapshot":
      applySnapshot(qc, message.notebooks, now);
      return [];
    case "event":
      switch (message.topic) {
        case "notebook":
          return applyNotebookEvent(qc, message, now);
        case "todo":
          patchPages(qc, keys.todos, message);
          return [keys.todos, keys.lists, keys.tags];
        case "list":
          patchPages(qc, keys.lists, message);
          return message.action === "deleted" ? [keys.lists, keys.todos] : [keys.lists];
        case "tag":
          patchPages(qc, keys.tags, message);
          return [keys.tags, keys.todos];
        case "post":
          patchPages(qc, keys.posts, message);
          return [keys.posts, keys.post(message.id), keys.postRevisions(message.id)];
      }
  }
  return [];
}
