import { useQuery } from "@tanstack/react-query";
import { keys } from "../../api/keys";
import { previewPost } from "../../api/posts";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { useDebouncedValue } from "../../ui/useDebouncedValue";

/**
 * The body as the public page will show it: rendered by the server's one renderer (the HTML is
 * sanitized there), a moment after typing pauses. The last preview stays up while the next one
 * loads, so it does not flicker.
 */
export function Preview({ body }: { body: string }) {
  const settled = useDebouncedValue(body, 350);
  const preview = useQuery({
    queryKey: keys.postPreview(settled),
    queryFn: () => previewPost(settled),
    placeholderData: (previous) => previous,
    staleTime: Infinity,
    gcTime: 30_000,
    retry: false,
  });
  const behind = settled !== body || preview.isFetching;

  return (
    <section className="editor-pane editor-preview" aria-label="Preview" aria-busy={behind}>
      <p className="preview-state hint" aria-live="polite">
        {preview.isError ? "" : behind ? "Updating preview…" : "Preview"}
      </p>
      {preview.isError ? <ErrorMessage error={preview.error} title="Preview unavailable" onRetry={() => void preview.refetch()} /> : null}
      {preview.data?.html ? (
        <div className="post-body" data-testid="preview" dangerouslySetInnerHTML={{ __html: preview.data.html }} />
      ) : preview.isSuccess ? (
        <p className="empty">Nothing to preview yet.</p>
      ) : null}
    </section>
  );
}
