/** TanStack Query keys, in one place so the live feed and the pages agree. */
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
  admin: ["admin"] as const,
  adminUsers: ["admin", "users"] as const,
  adminNotebooks: ["admin", "notebooks"] as const,
  adminSettings: ["admin", "settings"] as const,
  adminAudit: ["admin", "audit"] as const,
};
