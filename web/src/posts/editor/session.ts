/**
 * One editing session of one post, without React: the fields on screen, the server version they
 * are based on, autosave, the browser's copy of unsaved text, status changes and conflicts.
 *
 * Every write goes through the autosave's one `save`, so a status change (publish, schedule)
 * and the text it publishes are one request with one version, and a conflict is met in one
 * place. The page renders `snapshot` (a new object on every change) and, when `bodyRevision`
 * moves, puts `fields.body` into the editor: the body changed by something other than typing.
 */
import type { PostCreate, PostPublic, PostStatus, PostUpdate } from "../../api/types";
import { debounce, type Debounced } from "../../ui/debounce";
import { Autosave, type AutosaveState, type SaveOutcome } from "./autosave";
import { resolveConflict } from "./conflict";
import { changedFields, EMPTY_DRAFT, fieldsOf, isBlank, sameDraft, type DraftFields } from "./draft";
import type { DraftStore, LocalDraft } from "./draftStore";

export class NeedsTitle extends Error {
  constructor() {
    super("a post needs a title before it can be saved");
  }
}

/** A status change waiting to go out with the next save. */
export interface StatusChange {
  status: PostStatus;
  publish_at?: string | null;
}

export interface Conflict {
  mine: DraftFields;
  theirs: PostPublic;
}

export interface SessionApi {
  create(body: PostCreate): Promise<PostPublic>;
  update(id: number, body: PostUpdate): Promise<PostPublic>;
  fetch(id: number): Promise<PostPublic>;
  /** Whether a failed update was a 409 for a stale version. */
  isVersionConflict(error: unknown): boolean;
}

export interface SessionSnapshot {
  fields: DraftFields;
  /** The server's post as this session last saw it; null until a new post is created. */
  server: PostPublic | null;
  /** The version the fields are based on. */
  baseVersion: number | null;
  save: AutosaveState;
  conflict: Conflict | null;
  /** False when the browser refused to keep a copy (storage full or disabled). */
  localKept: boolean;
  pendingStatus: StatusChange | null;
  /** When the unsaved text shown was restored from the browser's copy. */
  restoredAt: number | null;
  /** +1 whenever the body changed other than by typing (theirs, a merge, a restore). */
  bodyRevision: number;
}

type Base = { version: number; fields: DraftFields };

/** What is sent: titles and slugs without the spaces the server would strip anyway. */
const sendable = (f: DraftFields): DraftFields => ({ ...f, title: f.title.trim(), slug: f.slug.trim() });
const baseOf = (post: PostPublic): Base => ({ version: post.version, fields: fieldsOf(post) });

interface Start {
  fields: DraftFields;
  base: Base | null;
  dirty: boolean;
  conflict: Conflict | null;
  restoredAt: number | null;
}

/** Where editing starts: the server's post, or the browser's unsaved copy on top of it. */
export function startFrom(post: PostPublic | null, local: LocalDraft | null): Start {
  if (!post) {
    if (local && !isBlank(local.fields)) {
      return { fields: local.fields, base: null, dirty: true, conflict: null, restoredAt: local.savedAt };
    }
    return { fields: EMPTY_DRAFT, base: null, dirty: false, conflict: null, restoredAt: null };
  }
  const base = baseOf(post);
  const clean: Start = { fields: base.fields, base, dirty: false, conflict: null, restoredAt: null };
  if (!local || sameDraft(local.fields, base.fields)) return clean;
  // Kept on top of this very version: the server's text is where it started from.
  const from = local.base && local.base.version === post.version ? base.fields : (local.base?.fields ?? null);
  const resolution = resolveConflict(from, local.fields, base.fields);
  switch (resolution.kind) {
    case "same":
    case "take-theirs":
      return clean;
    case "keep-mine":
    case "merge":
      return { fields: resolution.fields, base, dirty: true, conflict: null, restoredAt: local.savedAt };
    case "ask":
      return {
        fields: local.fields,
        base,
        dirty: false,
        conflict: { mine: local.fields, theirs: post },
        restoredAt: local.savedAt,
      };
  }
}

export interface SessionOptions {
  post: PostPublic | null;
  api: SessionApi;
  store: DraftStore;
  /** Every post the server answered with (to update caches). */
  onServer?: (post: PostPublic) => void;
  autosaveDelay?: number;
}

export class EditorSession {
  private readonly api: SessionApi;
  private readonly store: DraftStore;
  private readonly onServer: (post: PostPublic) => void;
  private readonly autosaveDelay: number | undefined;
  private key: string;
  private base: Base | null;
  private extra: StatusChange | null = null;
  private autosave: Autosave | null = null;
  private readonly writeLocal: Debounced<[]>;
  private startDirty: boolean;
  private readonly listeners = new Set<() => void>();
  snapshot: SessionSnapshot;

  constructor(options: SessionOptions) {
    this.api = options.api;
    this.store = options.store;
    this.onServer = options.onServer ?? (() => undefined);
    this.autosaveDelay = options.autosaveDelay;
    this.key = options.post ? String(options.post.id) : "new";
    const start = startFrom(options.post, this.store.load(this.key));
    this.base = start.base;
    this.startDirty = start.dirty;
    this.snapshot = {
      fields: start.fields,
      server: options.post,
      baseVersion: start.base?.version ?? null,
      save: { kind: "clean" },
      conflict: start.conflict,
      localKept: true,
      pendingStatus: null,
      restoredAt: start.restoredAt,
      bodyRevision: 0,
    };
    this.writeLocal = debounce(() => this.keepLocal(), 300, { maxWait: 1000 });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Starts autosaving (again, after `close`). */
  open(): void {
    if (this.startDirty || this.unsaved) this.saver.changed();
    this.startDirty = false;
  }

  /** Leaving: the browser's copy is written, what is unsaved still goes out, then it stops. */
  close(): Promise<void> {
    this.writeLocal.flush();
    const leaving = this.autosave;
    this.autosave = null;
    if (!leaving) return Promise.resolve();
    return leaving.flush().finally(() => leaving.dispose());
  }

  /** Writes the browser's copy now (the page is being closed). */
  keepNow(): void {
    this.writeLocal.flush();
  }

  /** Something typed here is not on the server yet. */
  get unsaved(): boolean {
    const kind = this.snapshot.save.kind;
    return (kind !== "clean" && kind !== "saved") || (this.autosave?.dirty ?? false);
  }

  change(next: Partial<DraftFields>): void {
    this.update({ fields: { ...this.snapshot.fields, ...next } });
    this.writeLocal();
    this.saver.changed();
  }

  saveNow(): Promise<void> {
    return this.saver.flush();
  }

  /** Publishing, scheduling…: saved with the current text, at once. */
  async changeStatus(next: StatusChange): Promise<void> {
    this.extra = next;
    this.update({ pendingStatus: next });
    this.saver.changed();
    await this.saver.flush();
  }

  keepMine(): void {
    const conflict = this.snapshot.conflict;
    if (!conflict) return;
    this.base = baseOf(conflict.theirs);
    this.update({ conflict: null, baseVersion: this.base.version });
    this.saver.changed();
    this.saver.resolved(true);
  }

  takeTheirs(): void {
    const conflict = this.snapshot.conflict;
    if (!conflict) return;
    this.base = baseOf(conflict.theirs);
    this.extra = null;
    this.showFields(fieldsOf(conflict.theirs), { conflict: null, pendingStatus: null, baseVersion: this.base.version });
    this.dropLocal();
    this.saver.resolved(false);
  }

  /** A newer server post (a restored revision, a change made elsewhere) replaces what is shown. */
  load(fresh: PostPublic): void {
    this.base = baseOf(fresh);
    this.showFields(fieldsOf(fresh), { server: fresh, baseVersion: fresh.version });
    this.onServer(fresh);
    this.dropLocal();
    this.saver.reset();
  }

  /** The server has a newer version: show it when nothing is unsaved, else let a save sort it out. */
  offer(latest: PostPublic): void {
    if (this.unsaved) void this.saver.flush();
    else this.load(latest);
  }

  private get saver(): Autosave {
    this.autosave ??= new Autosave({
      save: () => this.save(),
      onState: (state) => this.onSaveState(state),
      ...(this.autosaveDelay !== undefined ? { delay: this.autosaveDelay } : {}),
    });
    return this.autosave;
  }

  private onSaveState(state: AutosaveState): void {
    this.update({ save: state });
    if (state.kind === "failed" || state.kind === "conflict") this.writeLocal.flush();
    if (state.kind === "saved" && !this.autosave?.dirty) {
      this.dropLocal();
      if (!this.extra) this.update({ pendingStatus: null });
    }
  }

  private async save(): Promise<SaveOutcome> {
    for (let round = 0; round < 3; round++) {
      const mine = sendable(this.snapshot.fields);
      const extra = this.extra;
      const base = this.base;
      if (!base) {
        if (!mine.title) throw new NeedsTitle();
        const created = await this.api.create({
          title: mine.title,
          body: mine.body,
          tags: mine.tags,
          ...(mine.slug ? { slug: mine.slug } : {}),
          ...(mine.excerpt.trim() ? { excerpt: mine.excerpt.trim() } : {}),
          ...(mine.cover ? { cover_image_id: mine.cover.id } : {}),
          ...(extra ?? {}),
        });
        if (this.extra === extra) this.extra = null;
        this.store.move(this.key, String(created.id));
        this.key = String(created.id);
        this.adopt(created, mine);
        return "saved";
      }
      const id = this.snapshot.server?.id;
      if (id === undefined) throw new Error("this post has no id");
      const patch = { ...changedFields(base.fields, mine), ...(extra ?? {}) };
      if (!Object.keys(patch).length) return "saved";
      try {
        const updated = await this.api.update(id, { version: base.version, ...patch });
        if (this.extra === extra) this.extra = null;
        this.adopt(updated, mine);
        return "saved";
      } catch (error) {
        if (!this.api.isVersionConflict(error)) throw error;
      }
      // Changed on the server since `base`: see what changed, and on which side.
      const theirs = await this.api.fetch(id);
      this.onServer(theirs);
      const now = sendable(this.snapshot.fields);
      const resolution = resolveConflict(base.fields, now, fieldsOf(theirs));
      if (resolution.kind === "ask") {
        this.update({ conflict: { mine: now, theirs }, server: theirs });
        return "conflict";
      }
      this.base = baseOf(theirs);
      this.update({ server: theirs, baseVersion: theirs.version });
      if (resolution.kind === "take-theirs" || resolution.kind === "merge") this.showFields(resolution.fields);
      // Round again: what is left to send goes over their version.
    }
    const id = this.snapshot.server?.id ?? 0;
    const theirs = await this.api.fetch(id);
    this.update({ conflict: { mine: sendable(this.snapshot.fields), theirs }, server: theirs });
    return "conflict";
  }

  /** The server took `sent`: it is the new base. A slug the server made is shown. */
  private adopt(saved: PostPublic, sent: DraftFields): void {
    this.base = { version: saved.version, fields: { ...sent, slug: sent.slug || saved.slug } };
    const fields = this.snapshot.fields;
    const slugMade = !fields.slug.trim() && !sent.slug;
    this.update({
      server: saved,
      baseVersion: saved.version,
      ...(slugMade ? { fields: { ...fields, slug: saved.slug } } : {}),
    });
    this.onServer(saved);
  }

  private showFields(fields: DraftFields, more: Partial<SessionSnapshot> = {}): void {
    this.update({ ...more, fields, bodyRevision: this.snapshot.bodyRevision + 1 });
  }

  private keepLocal(): void {
    const draft: LocalDraft = { fields: this.snapshot.fields, base: this.base, savedAt: Date.now() };
    const kept = this.store.save(this.key, draft);
    if (kept !== this.snapshot.localKept) this.update({ localKept: kept });
  }

  private dropLocal(): void {
    this.writeLocal.cancel();
    this.store.remove(this.key);
  }

  private update(change: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
