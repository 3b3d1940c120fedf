/**
 * The browser's copy of unsaved editor text, in localStorage under the post's id ("new" before
 * the post exists), so that nothing typed is lost to a failed save, a closed tab or a crash.
 * It also keeps the server version (and fields) the text was edited from, which lets a reload
 * tell "my unsaved text on top of the current post" from "the post changed meanwhile".
 */
import { withDefaults, type DraftFields } from "./draft";

export interface LocalDraft {
  fields: DraftFields;
  /** The server's post this text was edited from; null for a post not created yet. */
  base: { version: number; fields: DraftFields } | null;
  savedAt: number;
}

const PREFIX = "workspace.post-draft.";

function isFields(value: unknown): value is DraftFields {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.title === "string" &&
    typeof v.body === "string" &&
    typeof v.slug === "string" &&
    Array.isArray(v.tags) &&
    v.tags.every((t) => typeof t === "string") &&
    (v.excerpt === undefined || typeof v.excerpt === "string") &&
    (v.cover === undefined || v.cover === null || isCover(v.cover))
  );
}

function isCover(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "number" && typeof v.url === "string";
}

function isLocalDraft(value: unknown): value is LocalDraft {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (!isFields(v.fields) || typeof v.savedAt !== "number") return false;
  if (v.base === null) return true;
  if (typeof v.base !== "object") return false;
  const base = v.base as Record<string, unknown>;
  return typeof base.version === "number" && isFields(base.fields);
}

export class DraftStore {
  constructor(private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> = window.localStorage) {}

  /** The kept draft, or null (none, or unreadable: another version's shape, hand-edited). */
  load(key: string): LocalDraft | null {
    let raw: string | null;
    try {
      raw = this.storage.getItem(PREFIX + key);
    } catch {
      return null;
    }
    if (raw === null) return null;
    try {
      const value: unknown = JSON.parse(raw);
      if (!isLocalDraft(value)) return null;
      const base = value.base && { ...value.base, fields: withDefaults(value.base.fields) };
      return { ...value, fields: withDefaults(value.fields), base };
    } catch {
      return null;
    }
  }

  /** Keeps a draft; false when the browser refused (storage full or disabled). */
  save(key: string, draft: LocalDraft): boolean {
    try {
      this.storage.setItem(PREFIX + key, JSON.stringify(draft));
      return true;
    } catch {
      return false;
    }
  }

  remove(key: string): void {
    try {
      this.storage.removeItem(PREFIX + key);
    } catch {
      // Nothing to do: a storage we cannot touch holds nothing of ours either.
    }
  }

  /** The new post got its id: its draft moves under it. */
  move(from: string, to: string): void {
    const draft = this.load(from);
    if (draft && this.save(to, draft)) this.remove(from);
  }
}
