import { useTags } from "../todos/queries";
import { ErrorMessage } from "../ui/ErrorMessage";
import { TagRow } from "./TagRow";

/** Rename, recolour and delete tags (new tags come from todos: "#tag" in quick add). */
export function TagsSection() {
  const tags = useTags();
  return (
    <section aria-labelledby="tags-title" className="settings-section">
      <h2 id="tags-title">Tags</h2>
      <p className="hint">Tags are made by tagging todos (type #name in quick add). Rename, recolour or delete them here.</p>
      {tags.isError ? <ErrorMessage error={tags.error} title="Tags" onRetry={() => void tags.refetch()} /> : null}
      {tags.data?.data.length === 0 ? <p className="empty">No tags yet.</p> : null}
      <ul className="tag-rows">
        {tags.data?.data.map((tag) => <TagRow key={tag.id} tag={tag} />)}
      </ul>
    </section>
  );
}
