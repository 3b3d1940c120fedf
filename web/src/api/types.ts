/**
 * The shapes the dashboard works with, from the generated client. The notebook shapes follow
 * the api contract until those endpoints are in the committed schema.
 */
export type { ApiTokenCreated, ApiTokenPublic, UserPublic } from "../client/types.gen";

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

export type NotebookStatus =
  | "pending"
  | "creating"
  | "starting"
  | "healthy"
  | "unhealthy"
  | "stopping"
  | "stopped"
  | "removed"
  | "error";

export interface NotebookPublic {
  id: number;
  name: string;
  image: string;
  cpus: number;
  memory_mb: number;
  env: Record<string, string>;
  keep_volume: boolean;
  idle_timeout_minutes: number;
  desired_state: "running" | "stopped" | "deleted";
  status: NotebookStatus;
  status_reason: string | null;
  version: number;
  url: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  last_activity_at: string | null;
}

export interface NotebookCreate {
  name: string;
  image?: string;
  cpus?: number;
  memory_mb?: number;
  env?: Record<string, string>;
  keep_volume?: boolean;
  idle_timeout_minutes?: number;
}

export interface NotebookOptions {
  images: string[];
  default_image: string;
  max_cpus: number;
  max_memory_mb: number;
  default_cpus: number;
  default_memory_mb: number;
  default_idle_timeout_minutes: number;
  docker_available: boolean;
  docker_error: string | null;
}
