/**
 * What the editor edits and autosaves: a post's title, Markdown body, slug and tags. Status and
 * schedule are not part of it: they change by an explicit action (publish, schedule), each its
 * own request.
 */
export interface DraftFields {
  title: string;
  body: string;
  slug: string;
  tags: string[];
}

export const EMPTY_DRAFT: DraftFields = { title: "", body: "", slug: "", tags: [] };

export function fieldsOf(post: { title: string; body: string; slug: string; tags: string[] }): DraftFields {
  return { title: post.title, body: post.body, slug: post.slug, tags: [...post.tags] };
}

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}

export function sameDraft(a: DraftFields, b: DraftFields): boolean {
  return a.title === b.title && a.body === b.body && a.slug === b.slug && sameTags(a.tags, b.tags);
}

export function isBlank(draft: DraftFields): boolean {
  return !draft.title.trim() && !draft.body.trim();
}

/** The fields of `draft` that differ from `base`: what a PATCH needs to send. */
export function changedFields(base: DraftFields, draft: DraftFields): Partial<DraftFields> {
  const out: Partial<DraftFields> = {};
  if (draft.title !== base.title) out.title = draft.title;
  if (draft.body !== base.body) out.body = draft.body;
  if (draft.slug !== base.slug) out.slug = draft.slug;
  if (!sameTags(draft.tags, base.tags)) out.tags = [...draft.tags];
  return out;
}

/** "python, Web  python,, notes" → ["python", "Web", "notes"]: commas separate, case-blind
 * duplicates and empty entries go. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(",")) {
    const tag = part.trim().replace(/\s+/g, " ");
    const key = tag.toLowerCase();
    if (!tag || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

export const formatTags = (tags: string[]): string => tags.join(", ");
