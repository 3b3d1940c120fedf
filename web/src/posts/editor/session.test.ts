import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { isVersionConflict } from "../../api/posts";
import type { PostCreate, PostPublic, PostUpdate } from "../../api/types";
import { DraftStore } from "./draftStore";
import { EditorSession, NeedsTitle, type SessionApi } from "./session";

function makePost(fields: Partial<PostPublic>): PostPublic {
  return {
    id: 7, title: "Title", slug: "title", body: "", tags: [], status: "draft", version: 1,
    publish_at: null, published_at: null, ...fields,
  } as PostPublic;
}

/** A post server in memory, with the api's version rule: a stale version is a 409. */
function fakeServer(initial: Partial<PostPublic> | null) {
  const state = { post: initial ? makePost(initial) : null, fail: null as Error | null };
  const calls: { kind: "create" | "update" | "fetch"; body?: PostCreate | PostUpdate }[] = [];
  const api: SessionApi = {
    create: (body) => {
      calls.push({ kind: "create", body });
      if (state.fail) return Promise.reject(state.fail);
      state.post = makePost({
        title: body.title, body: body.body ?? "", tags: body.tags ?? [], status: body.status ?? "draft",
        slug: body.slug ?? body.title.toLowerCase().replace(/\W+/g, "-"),
      });
      return Promise.resolve(state.post);
    },
    update: (_id, body) => {
      calls.push({ kind: "update", body });
      if (state.fail) return Promise.reject(state.fail);
      const post = state.post as PostPublic;
      if (body.version !== post.version) {
        return Promise.reject(new ApiError(409, { detail: "stale", field: "version", current_version: post.version }));
      }
      const { version, ...change } = body;
      state.post = { ...post, ...(change as Partial<PostPublic>), version: version + 1 };
      return Promise.resolve(state.post);
    },
    fetch: () => {
      calls.push({ kind: "fetch" });
      return Promise.resolve(state.post as PostPublic);
    },
    isVersionConflict,
  };
  /** Another client's save. */
  const elsewhere = (change: Partial<PostPublic>) => {
    const post = state.post as PostPublic;
    state.post = { ...post, ...change, version: post.version + 1 };
  };
  return { api, calls, state, elsewhere };
}

const settle = () => vi.advanceTimersByTimeAsync(2000);

function open(server: ReturnType<typeof fakeServer>, store = new DraftStore()) {
  const session = new EditorSession({ post: server.state.post, api: server.api, store, autosaveDelay: 1000 });
  session.open();
  return session;
}

describe("an editing session", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    window.localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it("sends only what changed, with the version it is based on, then drops the local copy", async () => {
    const server = fakeServer({ body: "old" });
    const session = open(server);
    session.change({ body: "old and new" });
    await vi.advanceTimersByTimeAsync(400);
    expect(new DraftStore().load("7")?.fields.body).toBe("old and new");
    await settle();
    expect(server.calls).toEqual([{ kind: "update", body: { version: 1, body: "old and new" } }]);
    expect(session.snapshot.save.kind).toBe("saved");
    expect(session.snapshot.baseVersion).toBe(2);
    expect(new DraftStore().load("7")).toBeNull();
  });

  it("keeps a failed save's text in the browser, and a new session restores and saves it", async () => {
    const server = fakeServer({ body: "saved" });
    server.state.fail = new ApiError(0, "offline");
    const session = open(server);
    session.change({ body: "typed offline" });
    await settle();
    expect(session.snapshot.save.kind).toBe("failed");
    expect(new DraftStore().load("7")).toMatchObject({ fields: { body: "typed offline" }, base: { version: 1 } });
    await session.close();

    server.state.fail = null;
    const reopened = open(server);
    expect(reopened.snapshot.fields.body).toBe("typed offline");
    expect(reopened.snapshot.restoredAt).not.toBeNull();
    await settle();
    expect(server.state.post?.body).toBe("typed offline");
    expect(new DraftStore().load("7")).toBeNull();
  });

  it("waits for a title before creating a new post, then shows the slug the server made", async () => {
    const server = fakeServer(null);
    const session = open(server);
    session.change({ body: "words first" });
    await settle();
    const state = session.snapshot.save;
    expect(state.kind === "failed" && state.error instanceof NeedsTitle).toBe(true);
    expect(server.calls).toEqual([]);
    expect(new DraftStore().load("new")?.fields.body).toBe("words first");

    session.change({ title: "My First Post " });
    await settle();
    expect(server.calls).toEqual([
      { kind: "create", body: { title: "My First Post", body: "words first", tags: [] } },
    ]);
    expect(session.snapshot.server?.id).toBe(7);
    expect(session.snapshot.fields.slug).toBe("my-first-post");
    expect(new DraftStore().load("new")).toBeNull();
    session.change({ body: "words first, then more" });
    await settle();
    expect(server.calls.at(-1)).toEqual({ kind: "update", body: { version: 1, body: "words first, then more" } });
  });

  it("publishes the current text and the status in one request", async () => {
    const server = fakeServer({ body: "draft" });
    const session = open(server);
    session.change({ body: "final" });
    await session.changeStatus({ status: "published" });
    expect(server.calls).toEqual([{ kind: "update", body: { version: 1, body: "final", status: "published" } }]);
    expect(session.snapshot.server?.status).toBe("published");
    expect(session.snapshot.pendingStatus).toBeNull();
  });

  it("asks when the same field changed elsewhere; keep mine saves over their version", async () => {
    const server = fakeServer({ body: "start" });
    const session = open(server);
    server.elsewhere({ body: "theirs" });
    session.change({ body: "mine" });
    await settle();
    expect(session.snapshot.save.kind).toBe("conflict");
    expect(session.snapshot.conflict?.theirs.body).toBe("theirs");
    expect(new DraftStore().load("7")?.fields.body).toBe("mine");

    session.keepMine();
    await settle();
    expect(server.calls.at(-1)).toEqual({ kind: "update", body: { version: 2, body: "mine" } });
    expect(server.state.post?.body).toBe("mine");
    expect(session.snapshot.conflict).toBeNull();
  });

  it("take theirs shows their text and forgets mine", async () => {
    const server = fakeServer({ body: "start" });
    const session = open(server);
    server.elsewhere({ body: "theirs" });
    session.change({ body: "mine" });
    await settle();
    session.takeTheirs();
    expect(session.snapshot.fields.body).toBe("theirs");
    expect(session.snapshot.bodyRevision).toBe(1);
    expect(session.snapshot.save.kind).toBe("clean");
    expect(new DraftStore().load("7")).toBeNull();
    await settle();
    expect(server.calls.filter((c) => c.kind === "update")).toHaveLength(1);
  });

  it("merges changes to different fields without asking", async () => {
    const server = fakeServer({ body: "start", title: "Old title" });
    const session = open(server);
    server.elsewhere({ title: "Their title" });
    session.change({ body: "my body" });
    await settle();
    expect(session.snapshot.conflict).toBeNull();
    expect(session.snapshot.fields.title).toBe("Their title");
    expect(server.state.post).toMatchObject({ title: "Their title", body: "my body", version: 3 });
  });

  it("opens on a conflict when the kept copy and the server both moved on", () => {
    const server = fakeServer({ body: "v1" });
    const store = new DraftStore();
    store.save("7", {
      fields: { title: "Title", slug: "title", tags: [], body: "mine", excerpt: "", cover: null },
      base: { version: 1, fields: { title: "Title", slug: "title", tags: [], body: "v1", excerpt: "", cover: null } },
      savedAt: 1,
    });
    server.elsewhere({ body: "theirs" });
    const session = open(server, store);
    expect(session.snapshot.conflict?.mine.body).toBe("mine");
    expect(session.snapshot.conflict?.theirs.body).toBe("theirs");
  });

  it("loads a newer server post when nothing is unsaved", () => {
    const server = fakeServer({ body: "v1" });
    const session = open(server);
    server.elsewhere({ body: "v2 from another tab" });
    session.offer(server.state.post as PostPublic);
    expect(session.snapshot.fields.body).toBe("v2 from another tab");
    expect(session.snapshot.baseVersion).toBe(2);
  });
});
