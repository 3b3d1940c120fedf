import { useState } from "react";
import type { PostPublic } from "../../api/types";
import { Field } from "../../ui/Field";
import { formatTags, parseTags, type DraftFields } from "./draft";

interface Props {
  fields: DraftFields;
  server: PostPublic | null;
  errors: Record<string, string>;
  onChange: (change: Partial<DraftFields>) => void;
}

const EXCERPT_RULE =
  "Shown in lists, feeds and link previews. Left empty, it is the text above a line <!--more--> in the body, or else the body's first paragraph.";

/** Slug, tags and excerpt: the slug's note says what happens to the old address, the
 * excerpt's what it is when left empty (and, once saved, what it is now). */
export function PostDetails({ fields, server, errors, onChange }: Props) {
  // Tags are typed as text; the list is what is saved, so "a, " stays as typed meanwhile.
  const [tagText, setTagText] = useState(formatTags(fields.tags));
  // Tags replaced from elsewhere (theirs, a restore): the text follows.
  const [shownTags, setShownTags] = useState(fields.tags);
  if (shownTags !== fields.tags) {
    setShownTags(fields.tags);
    if (formatTags(parseTags(tagText)) !== formatTags(fields.tags)) setTagText(formatTags(fields.tags));
  }

  const live = server && (server.status === "published" || server.status === "unlisted");
  const renamed = server && fields.slug.trim() && fields.slug.trim() !== server.slug;
  let slugHint = "Lowercase letters, digits and hyphens. Made from the title when left empty.";
  if (server) slugHint = "Changing it later keeps the old address working: it redirects to the new one.";
  if (renamed && live) slugHint = `/blog/${server.slug} will redirect to /blog/${fields.slug.trim()}.`;

  return (
    <div className="post-details">
      <Field label="Slug" hint={slugHint} error={errors.slug}>
        <input
          value={fields.slug}
          onChange={(event) => onChange({ slug: event.target.value })}
          placeholder={server ? "" : "made from the title"}
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
        />
      </Field>
      <Field label="Tags" hint="Separated by commas." error={errors.tags}>
        <input
          value={tagText}
          onChange={(event) => {
            setTagText(event.target.value);
            onChange({ tags: parseTags(event.target.value) });
          }}
          autoComplete="off"
          placeholder="python, notes"
        />
      </Field>
      <Field label="Excerpt" hint={EXCERPT_RULE} error={errors.excerpt} className="wide">
        <textarea
          value={fields.excerpt}
          onChange={(event) => onChange({ excerpt: event.target.value })}
          rows={2}
          maxLength={2000}
          placeholder={!fields.excerpt && server?.summary ? `Now: ${server.summary}` : "From the body"}
        />
      </Field>
    </div>
  );
}
