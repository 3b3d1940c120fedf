/** A notebook as a post, without React: folders to browse, and what a failed update means. */
import { ApiError } from "../../api/errors";
import { isVersionConflict } from "../../api/posts";
import type { NotebookStatus } from "../../api/types";

/** Jupyter answers while its server is up (the api reads files through it). */
export const canRead = (status: NotebookStatus): boolean => status === "healthy" || status === "unhealthy";

export interface Crumb {
  name: string;
  path: string;
}

/** "a/b/c" → Files, a, a/b, a/b/c: each folder on the way, to go back up. */
export function breadcrumbs(path: string): Crumb[] {
  const crumbs: Crumb[] = [{ name: "Files", path: "" }];
  let at = "";
  for (const part of path.split("/").filter(Boolean)) {
    at = at ? `${at}/${part}` : part;
    crumbs.push({ name: part, path: at });
  }
  return crumbs;
}

/** The title a notebook's post gets by default, shown before importing ("Results.ipynb" → "Results"). */
export const titleOf = (path: string): string => (path.split("/").pop() ?? path).replace(/\.ipynb$/i, "");

/** The Markdown that shows one cell's output in another post. */
export const embedSnippet = (postId: number, cell: string): string => `\`\`\`notebook-cell ${postId}/${cell}\n\`\`\``;

export type RefreshProblem =
  /** Saved elsewhere since: the editor shows the latest, then the person tries again. */
  | { kind: "stale"; message: string }
  /** Its server is stopped (or starting): start it, then update. */
  | { kind: "not-running"; message: string }
  /** Uploaded, or its server deleted: nothing to read from. */
  | { kind: "no-source"; message: string }
  | { kind: "other"; message: string };

/** What a failed "Update from notebook" tells the person, and what they can do about it. */
export function refreshProblem(error: unknown, fromServer: boolean): RefreshProblem {
  if (isVersionConflict(error)) {
    return {
      kind: "stale",
      message: "Not updated: the post was saved elsewhere meanwhile. The editor now shows the latest version; update again.",
    };
  }
  if (error instanceof ApiError && error.status === 409) {
    return fromServer
      ? {
          kind: "not-running",
          message: "Not updated: its notebook server is not running. Start it on the Notebooks page, then update again.",
        }
      : {
          kind: "no-source",
          message: "This post was made from an uploaded file (or its server was deleted): upload the new .ipynb as a new post.",
        };
  }
  if (error instanceof ApiError && error.status === 404) {
    return { kind: "other", message: "Not updated: the .ipynb is no longer at that path in its notebook server." };
  }
  if (error instanceof ApiError && error.status === 503) {
    return { kind: "other", message: "Not updated: the notebook server did not answer. Try again in a moment." };
  }
  return { kind: "other", message: `Not updated: ${error instanceof Error ? error.message : "something went wrong"}` };
}
