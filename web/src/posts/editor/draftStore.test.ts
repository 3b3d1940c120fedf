import { describe, expect, it } from "vitest";
import { DraftStore, type LocalDraft } from "./draftStore";

const draft: LocalDraft = {
  fields: { title: "T", body: "unsaved words", slug: "t", tags: [], excerpt: "", cover: null },
  base: { version: 3, fields: { title: "T", body: "saved", slug: "t", tags: [], excerpt: "", cover: null } },
  savedAt: 1_700_000_000_000,
};

class MemoryStorage {
  items = new Map<string, string>();
  full = false;
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException("quota", "QuotaExceededError");
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe("the local draft store", () => {
  it("keeps a draft per post id, in localStorage by default", () => {
    const store = new DraftStore();
    expect(store.save("12", draft)).toBe(true);
    expect(window.localStorage.getItem("workspace.post-draft.12")).toContain("unsaved words");
    expect(new DraftStore().load("12")).toEqual(draft);
    expect(store.load("13")).toBeNull();
    store.remove("12");
    expect(store.load("12")).toBeNull();
  });

  it("reads a copy kept before excerpt and cover were edited here", () => {
    const storage = new MemoryStorage();
    const old = { title: "T", body: "b", slug: "t", tags: [] };
    storage.setItem("workspace.post-draft.5", JSON.stringify({ fields: old, base: { version: 2, fields: old }, savedAt: 1 }));
    const loaded = new DraftStore(storage).load("5");
    expect(loaded?.fields).toEqual({ ...old, excerpt: "", cover: null });
    expect(loaded?.base?.fields).toEqual({ ...old, excerpt: "", cover: null });
    storage.setItem("workspace.post-draft.6", JSON.stringify({ fields: { ...old, cover: { id: "x" } }, base: null, savedAt: 1 }));
    expect(new DraftStore(storage).load("6")).toBeNull();
  });

  it("moves a new post's draft under its id", () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage);
    store.save("new", { ...draft, base: null });
    store.move("new", "41");
    expect(store.load("new")).toBeNull();
    expect(store.load("41")).toEqual({ ...draft, base: null });
  });

  it("ignores what it cannot read", () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage);
    storage.items.set("workspace.post-draft.1", "{not json");
    storage.items.set("workspace.post-draft.2", JSON.stringify({ fields: { title: 1 }, base: null, savedAt: 0 }));
    storage.items.set("workspace.post-draft.3", JSON.stringify({ ...draft, base: { version: "3" } }));
    expect([store.load("1"), store.load("2"), store.load("3")]).toEqual([null, null, null]);
  });

  it("says so when the browser refuses to keep it", () => {
    const storage = new MemoryStorage();
    storage.full = true;
    expect(new DraftStore(storage).save("1", draft)).toBe(false);
  });
});
