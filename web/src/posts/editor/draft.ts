/**
 * What the editor edits and autosaves: a post's title, Markdown body, slug, tags, excerpt and
 * cover. Status and schedule are not part of it: they change by an explicit action (publish,
 * schedule), each its own request.
 */

/** A post image chosen as the cover: its id is saved, its URL shows it. */
export interface Cover {
  id: number;
  url: string;
}

export interface DraftFields {
  title: string;
  body: string;
  slug: string;
  tags: string[];
  /** As written; "" lets the server derive it (`<!--more-->`, else the first paragraph). */
  excerpt: string;
  cover: Cover | null;
}

export const EMPTY_DRAFT: DraftFields = { title: "", body: "", slug: "", tags: [], excerpt: "", cover: null };

/** The fields as the api's create and update take them. */
export interface DraftPatch {
  title?: string;
  body?: string;
  slug?: string;
  tags?: string[];
  excerpt?: string | null;
  cover_image_id?: number | null;
}

interface PostFields {
  title: string;
  body: string;
  slug: string;
  tags: string[];
  excerpt?: string | null;
  cover_image_id?: number | null;
  cover_image_url?: string | null;
}

export function fieldsOf(post: PostFields): DraftFields {
  const cover =
    post.cover_image_id != null && post.cover_image_url ? { id: post.cover_image_id, url: post.cover_image_url } : null;
  return { title: post.title, body: post.body, slug: post.slug, tags: [...post.tags], excerpt: post.excerpt ?? "", cover };
}

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}

export const sameCover = (a: Cover | null, b: Cover | null): boolean => (a?.id ?? null) === (b?.id ?? null);

export function sameDraft(a: DraftFields, b: DraftFields): boolean {
  return (
    a.title === b.title &&
    a.body === b.body &&
    a.slug === b.slug &&
    sameTags(a.tags, b.tags) &&
    a.excerpt === b.excerpt &&
    sameCover(a.cover, b.cover)
  );
}

export function isBlank(draft: DraftFields): boolean {
  return !draft.title.trim() && !draft.body.trim();
}

/** The fields of `draft` that differ from `base`: what a PATCH needs to send. */
export function changedFields(base: DraftFields, draft: DraftFields): DraftPatch {
  const out: DraftPatch = {};
  if (draft.title !== base.title) out.title = draft.title;
  if (draft.body !== base.body) out.body = draft.body;
  if (draft.slug !== base.slug) out.slug = draft.slug;
  if (!sameTags(draft.tags, base.tags)) out.tags = [...draft.tags];
  if (draft.excerpt !== base.excerpt) out.excerpt = draft.excerpt.trim() || null;
  if (!sameCover(draft.cover, base.cover)) out.cover_image_id = draft.cover?.id ?? null;
  return out;
}

/** A kept copy from before excerpt and cover were edited here: they are as the server has them. */
export function withDefaults(fields: Omit<DraftFields, "excerpt" | "cover"> & Partial<DraftFields>): DraftFields {
  return { ...fields, excerpt: fields.excerpt ?? "", cover: fields.cover ?? null };
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
