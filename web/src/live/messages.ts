/** Messages of the live feed (`GET /api/events`, a WebSocket). */
import type { NotebookPublic } from "../api/types";

export type Topic = "notebook" | "todo" | "list" | "tag" | "post";
export type Action = "created" | "updated" | "deleted" | "status";

export interface SnapshotMessage {
  type: "snapshot";
  notebooks: NotebookPublic[];
}

export interface EventMessage {
  type: "event";
  topic: Topic;
  action: Action;
  id: number;
  version: number | null;
  data: Record<string, unknown> | null;
}

export interface PingMessage {
  type: "ping";
}

export type LiveMessage = SnapshotMessage | EventMessage | PingMessage;

const TOPICS = new Set<string>(["notebook", "todo", "list", "tag", "post"]);

/** Parses one frame; anything that is not a message we know is null (and ignored). */
export function parseMessage(raw: string): LiveMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || !("type" in value)) return null;
  const msg = value as Record<string, unknown>;
  switch (msg.type) {
    case "ping":
      return { type: "ping" };
    case "snapshot":
      return Array.isArray(msg.notebooks)
        ? { type: "snapshot", notebooks: msg.notebooks as NotebookPublic[] }
        : null;
    case "event":
      if (typeof msg.topic !== "string" || !TOPICS.has(msg.topic) || typeof msg.id !== "number") {
        return null;
      }
      return {
        type: "event",
        topic: msg.topic as Topic,
        action: msg.action as Action,
        id: msg.id,
        version: typeof msg.version === "number" ? msg.version : null,
        data:
          typeof msg.data === "object" && msg.data !== null
            ? (msg.data as Record<string, unknown>)
            : null,
      };
    default:
      return null;
  }
}
