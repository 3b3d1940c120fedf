import { QueryClient } from "@tanstack/react-query";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../api/keys";
import type { NotebookPublic, Page, TodoPublic } from "../api/types";
import type { PhaseHistory } from "../notebooks/phases";
import { applyMessage, mergeNotebookList, upsertNotebook } from "./merge";
import { parseMessage, type EventMessage } from "./messages";

function notebook(id: number, version: number, status: NotebookPublic["status"]): NotebookPublic {
  return {
    id,
    name: `nb-${id}`,
    image: "workspace/jupyter:latest",
    cpus: 1,
    memory_mb: 1024,
    env: {},
    keep_volume: true,
    idle_timeout_minutes: 60,
    desired_state: "running",
    status,
    status_reason: null,
    health: null,
    version,
    url: `/notebooks/${id}/`,
    created_at: "2024-05-30T10:00:00Z",
    updated_at: "2024-05-30T10:00:00Z",
    started_at: null,
    last_activity_at: null,
  };
}

function nbEvent(nb: NotebookPublic, action: EventMessage["action"] = "status"): EventMessage {
  return { type: "event", topic: "notebook", action, id: nb.id, version: nb.version, data: { ...nb } };
}

function todo(id: number, version: number, title: string): TodoPublic {
  return {
    id,
    list_id: null,
    title,
    notes: "",
    completed: false,
    completed_at: null,
    due: null,
    priority: "none",
    tags: [],
    order: id,
    version,
    created_at: "2024-05-30T10:00:00Z",
    updated_at: "2024-05-30T10:00:00Z",
    url: `/api/todos/${id}`,
  };
}

let qc: QueryClient;
const notebooks = () => qc.getQueryData<Page<NotebookPublic>>(keys.notebooks);
const statusOf = (id: number) => notebooks()?.data.find((n) => n.id === id)?.status;

beforeEach(() => {
  qc = new QueryClient();
});

describe("notebook snapshot", () => {
  it("replaces the notebook list", () => {
    qc.setQueryData(keys.notebooks, { data: [notebook(1, 1, "pending"), notebook(2, 1, "healthy")], count: 2 });
    applyMessage(qc, { type: "snapshot", notebooks: [notebook(2, 3, "stopped"), notebook(3, 1, "pending")] });
    expect(notebooks()).toEqual({ data: [notebook(2, 3, "stopped"), notebook(3, 1, "pending")], count: 2 });
  });

  it("fills an empty cache", () => {
    applyMessage(qc, { type: "snapshot", notebooks: [notebook(5, 2, "healthy")] });
    expect(statusOf(5)).toBe("healthy");
  });

  it("corrects badges after a reconnect, whatever was missed", () => {
    applyMessage(qc, { type: "snapshot", notebooks: [notebook(1, 1, "pending")] });
    applyMessage(qc, nbEvent(notebook(1, 2, "creating")));
    // offline: versions 3..5 missed; the new snapshot is authoritative
    applyMessage(qc, { type: "snapshot", notebooks: [notebook(1, 5, "healthy")] });
    expect(statusOf(1)).toBe("healthy");
  });
});

describe("notebook events", () => {
  beforeEach(() => {
    applyMessage(qc, { type: "snapshot", notebooks: [notebook(1, 1, "pending")] });
  });

  it("applies newer versions in order", () => {
    applyMessage(qc, nbEvent(notebook(1, 2, "creating")));
    applyMessage(qc, nbEvent(notebook(1, 3, "starting")));
    applyMessage(qc, nbEvent(notebook(1, 4, "healthy")));
    expect(statusOf(1)).toBe("healthy");
    expect(notebooks()?.data[0]?.version).toBe(4);
  });

  it("drops stale and duplicate events", () => {
    applyMessage(qc, nbEvent(notebook(1, 4, "healthy")));
    applyMessage(qc, nbEvent(notebook(1, 3, "starting")));
    applyMessage(qc, nbEvent(notebook(1, 2, "creating")));
    expect(statusOf(1)).toBe("healthy");
    applyMessage(qc, nbEvent({ ...notebook(1, 4, "error"), status_reason: "dup" }));
    expect(statusOf(1)).toBe("healthy");
  });

  it("takes the event's version over the one in its data", () => {
    const ev = { ...nbEvent(notebook(1, 1, "creating")), version: 2 };
    applyMessage(qc, ev);
    expect(statusOf(1)).toBe("creating");
    expect(notebooks()?.data[0]?.version).toBe(2);
  });

  it("adds created notebooks and removes deleted ones", () => {
    applyMessage(qc, nbEvent(notebook(2, 1, "pending"), "created"));
    expect(notebooks()?.count).toBe(2);
    applyMessage(qc, { type: "event", topic: "notebook", action: "deleted", id: 1, version: null, data: null });
    expect(notebooks()?.data.map((n) => n.id)).toEqual([2]);
  });

  it("removes a deleted notebook once its container is gone", () => {
    applyMessage(qc, nbEvent({ ...notebook(1, 2, "stopping"), desired_state: "deleted" }));
    expect(statusOf(1)).toBe("stopping");
    applyMessage(qc, nbEvent({ ...notebook(1, 3, "removed"), desired_state: "deleted" }));
    expect(notebooks()?.data).toEqual([]);
  });

  it("asks for a refetch when an event carries no data", () => {
    const keysToInvalidate = applyMessage(qc, {
      type: "event", topic: "notebook", action: "updated", id: 1, version: 9, data: null,
    });
    expect(keysToInvalidate).toEqual([keys.notebooks]);
  });

  it("records the phases of a start as they happen", () => {
    applyMessage(qc, nbEvent(notebook(1, 2, "creating")), 1000);
    applyMessage(qc, nbEvent(notebook(1, 3, "starting")), 2000);
    applyMessage(qc, nbEvent(notebook(1, 2, "creating")), 2500); // stale: not recorded
    applyMessage(qc, nbEvent(notebook(1, 4, "healthy")), 3000);
    const phases = qc.getQueryData<PhaseHistory>(keys.notebookPhases)?.[1];
    expect(phases?.map((p) => p.status)).toEqual(["pending", "creating", "starting", "healthy"]);
    expect(phases?.slice(1).map((p) => p.at)).toEqual([1000, 2000, 3000]);
  });

  it("never lets a response older than the feed overwrite it", () => {
    applyMessage(qc, nbEvent(notebook(1, 3, "starting")));
    expect(upsertNotebook(qc, notebook(1, 1, "pending"))).toBe(false);
    expect(statusOf(1)).toBe("starting");
    const merged = mergeNotebookList(notebooks(), { data: [notebook(1, 2, "creating")], count: 1 });
    expect(merged.data[0]?.status).toBe("starting");
  });
});

describe("todo, list and tag events", () => {
  const key = keys.todoList({ sort: "order", limit: 200, list_id: "inbox" });

  beforeEach(() => {
    qc.setQueryData(key, { data: [todo(1, 1, "milk"), todo(2, 1, "eggs")], count: 2 });
  });

  const todos = () => qc.getQueryData<Page<TodoPublic>>(key);

  it("updates a cached todo in place and asks for a refetch", () => {
    const invalidate = applyMessage(qc, {
      type: "event", topic: "todo", action: "updated", id: 1, version: 2, data: { ...todo(1, 2, "oat milk") },
    });
    expect(todos()?.data[0]?.title).toBe("oat milk");
    expect(invalidate).toEqual([keys.todos, keys.lists, keys.tags]);
  });

  it("drops stale todo updates", () => {
    applyMessage(qc, { type: "event", topic: "todo", action: "updated", id: 1, version: 3, data: { ...todo(1, 3, "new") } });
    applyMessage(qc, { type: "event", topic: "todo", action: "updated", id: 1, version: 2, data: { ...todo(1, 2, "old") } });
    expect(todos()?.data[0]?.title).toBe("new");
  });

  it("removes deleted todos from every cached view", () => {
    applyMessage(qc, { type: "event", topic: "todo", action: "deleted", id: 2, version: null, data: null });
    expect(todos()).toEqual({ data: [todo(1, 1, "milk")], count: 1 });
  });

  it("invalidates todos when a created one may belong to a view", () => {
    const invalidate = applyMessage(qc, {
      type: "event", topic: "todo", action: "created", id: 3, version: 1, data: { ...todo(3, 1, "bread") },
    });
    expect(invalidate).toContainEqual(keys.todos);
  });

  it("invalidates todos when a tag or list changes", () => {
    expect(applyMessage(qc, { type: "event", topic: "tag", action: "updated", id: 1, version: null, data: null }))
      .toEqual([keys.tags, keys.todos]);
    expect(applyMessage(qc, { type: "event", topic: "list", action: "deleted", id: 1, version: null, data: null }))
      .toEqual([keys.lists, keys.todos]);
  });
});

describe("post events", () => {
  const key = keys.postList({ status: "draft", limit: 100 });

  it("updates a cached post in every list, and refetches the lists and the open post", () => {
    qc.setQueryData(key, { data: [{ id: 5, version: 1, title: "old" }], count: 1 });
    const invalidate = applyMessage(qc, {
      type: "event", topic: "post", action: "updated", id: 5, version: 2, data: { id: 5, version: 2, title: "new" },
    });
    expect(qc.getQueryData<Page<{ title: string }>>(key)?.data[0]?.title).toBe("new");
    expect(invalidate).toEqual([keys.posts, keys.post(5), keys.postRevisions(5)]);
    expect(parseMessage('{"type":"event","topic":"post","action":"deleted","id":5,"version":null,"data":null}'))
      .toMatchObject({ topic: "post", id: 5 });
  });
});

describe("parsing", () => {
  it("accepts the feed's messages and ignores anything else", () => {
    expect(parseMessage('{"type":"ping"}')).toEqual({ type: "ping" });
    expect(parseMessage('{"type":"event","topic":"todo","action":"created","id":3,"version":1,"data":{"id":3}}'))
      .toEqual({ type: "event", topic: "todo", action: "created", id: 3, version: 1, data: { id: 3 } });
    expect(parseMessage("not json")).toBeNull();
    expect(parseMessage('{"type":"event","topic":"weather","id":1}')).toBeNull();
    expect(parseMessage('{"type":"snapshot"}')).toBeNull();
  });
});
