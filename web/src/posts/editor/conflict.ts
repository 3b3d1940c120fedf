/**
 * A save answered 409: the post changed on the server since the version the editor started
 * from. `base` is that version's fields (null when unknown), `mine` the editor's text, `theirs`
 * the server's now. When only one side changed, or each side changed different fields, there is
 * nothing to ask; only when both changed the same field does the person choose.
 */
import { diffLines } from "diff";
import { sameCover, sameDraft, type DraftFields } from "./draft";

export type Resolution =
  /** Both sides hold the same text: take the new version, nothing to save. */
  | { kind: "same" }
  /** Only this editor changed it (the server moved on otherwise, e.g. a status change). */
  | { kind: "keep-mine"; fields: DraftFields }
  /** Only the server changed it: show theirs, nothing was typed here. */
  | { kind: "take-theirs"; fields: DraftFields }
  /** Each side changed other fields: both changes kept. */
  | { kind: "merge"; fields: DraftFields }
  /** Both changed the same field: the person chooses. */
  | { kind: "ask"; fields: (keyof DraftFields)[] };

const FIELDS: (keyof DraftFields)[] = ["title", "body", "slug", "tags", "excerpt", "cover"];

function same(a: DraftFields, b: DraftFields, field: keyof DraftFields): boolean {
  if (field === "cover") return sameCover(a.cover, b.cover);
  const x = a[field];
  const y = b[field];
  return Array.isArray(x) && Array.isArray(y) ? x.join("\n") === y.join("\n") : x === y;
}

export function resolveConflict(base: DraftFields | null, mine: DraftFields, theirs: DraftFields): Resolution {
  if (sameDraft(mine, theirs)) return { kind: "same" };
  if (!base) return { kind: "ask", fields: FIELDS.filter((f) => !same(mine, theirs, f)) };
  if (sameDraft(base, theirs)) return { kind: "keep-mine", fields: mine };
  if (sameDraft(base, mine)) return { kind: "take-theirs", fields: theirs };
  const clashes = FIELDS.filter((f) => !same(base, mine, f) && !same(base, theirs, f) && !same(mine, theirs, f));
  if (clashes.length) return { kind: "ask", fields: clashes };
  const merged = { ...theirs };
  for (const field of FIELDS) {
    if (!same(base, mine, field)) Object.assign(merged, { [field]: mine[field] });
  }
  return { kind: "merge", fields: merged };
}

export interface DiffLine {
  /** "mine": only in this editor's text; "theirs": only in the server's. */
  side: "both" | "mine" | "theirs";
  text: string;
}

/** The body's lines, marked by which side has them (mine first where both changed a spot). */
export function bodyDiff(mine: string, theirs: string): DiffLine[] {
  const out: DiffLine[] = [];
  for (const change of diffLines(mine, theirs)) {
    const side = change.removed ? "mine" : change.added ? "theirs" : "both";
    const lines = change.value.replace(/\n$/, "").split("\n");
    for (const text of lines) out.push({ side, text });
  }
  return out;
}

/** The other fields that differ, for the diff view. */
export function fieldChanges(mine: DraftFields, theirs: DraftFields): { field: string; mine: string; theirs: string }[] {
  const show = (d: DraftFields, f: "title" | "slug" | "tags" | "excerpt" | "cover"): string => {
    if (f === "cover") return d.cover ? d.cover.url : "(none)";
    if (f === "tags") return d.tags.join(", ");
    return f === "excerpt" && !d.excerpt ? "(from the body)" : d[f];
  };
  return (["title", "slug", "tags", "excerpt", "cover"] as const)
    .filter((f) => !same(mine, theirs, f))
    .map((f) => ({ field: f, mine: show(mine, f), theirs: show(theirs, f) }));
}
