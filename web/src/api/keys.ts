/** TanStack Query keys, in one place so the live feed and the pages agree. */
import type { PostQuery } from "../posts/filters";
import type { TodoQuery } from "../todos/filters";

export const keys = {
  me: ["me"] as const,
  tokens: ["tokens"] as const,
  sessions: ["sessions"] as const,
  lists: ["lists"] as const,
  tags: ["tags"] as const,
  todos: ["todos"] as const,
  todoList: (query: TodoQuery) => ["todos", query] as const,
  notebooks: ["notebooks"] as const,
  notebookOptions: ["notebook-options"] as const,
  notebookPhases: ["notebook-phases"] as const,
  // Lists of posts share one prefix (the live feed patches and invalidates them together); one
  // post, its revisions and previews have their own, since they are not pages of posts.
  posts: ["posts"] as const,
  postList: (query: PostQuery) => ["posts", query] as const,
  post: (id: number) => ["post", id] as const,
  postRevisions: (id: number) => ["post-revisions", id] as const,
  postRevisionDiff: (id: number, revision: number) => ["post-revisions", id, revision, "diff"] as const,
  postPreview: (body: string, snapshot: string | null) => ["post-preview", snapshot, body] as const,
  postImages: ["post-images"] as const,
  notebookFiles: (notebookId: number, path: string) => ["notebook-files", notebookId, path] as const,
  admin: ["admin"] as const,
  adminUsers: ["admin", "users"] as const,
  adminNotebooks: ["admin", "notebooks"] as const,
  adminSettings: ["admin", "settings"] as const,
  adminAudit: ["admin", "audit"] as const,
};
