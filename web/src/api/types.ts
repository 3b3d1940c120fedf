/** The shapes the dashboard works with, from the generated client (never edited by hand). */
export type {
  ApiTokenCreated,
  ApiTokenPublic,
  SessionPublic,
  TokenScope,
  UserPublic,
} from "../client/types.gen";

export interface Page<T> {
  data: T[];
  count: number;
}

export type {
  Priority,
  TagPublic,
  TodoListDeleted as ListDeleted,
  TodoListPublic,
  TodoPublic,
} from "../client/types.gen";
import type { Priority } from "../client/types.gen";

export const PRIORITIES: readonly Priority[] = ["none", "low", "medium", "high"];

/** What the dashboard sends to create a todo (a subset of the api's TodoCreate). */
export interface TodoCreate {
  title: string;
  list_id?: number | null;
  notes?: string;
  due?: string | null;
  priority?: Priority;
  tags?: string[];
}

/** What the dashboard changes on a todo (a subset of the api's TodoUpdate, never null titles). */
export type TodoUpdate = Partial<Omit<TodoCreate, "title">> & {
  title?: string;
  completed?: boolean;
};

export type {
  NotebookCreate,
  NotebookOptions,
  NotebookPublic,
  NotebookUpdate,
  Status as NotebookStatus,
} from "../client/types.gen";

export type {
  PostCreate,
  NotebookFile,
  NotebookFiles,
  PostImagePublic,
  PostNotebookInfo,
  PostPublic,
  PostStatus,
  PostSummary,
  PostUpdate,
  RevisionPublic,
  RevisionSummary,
} from "../client/types.gen";
