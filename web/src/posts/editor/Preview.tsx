import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { keys } from "../../api/keys";
import { previewPost } from "../../api/posts";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { useDebouncedValue } from "../../ui/useDebouncedValue";

/** The public page's frame: its own stylesheet (light and dark, code colours) and layout. */
const FRAME = `<!doctype html><html><head><meta charset="utf-8"><base target="_blank">
<link rel="stylesheet" href="/blog/assets/blog.css"></head>
<body><article class="post"><img class="cover" alt="" hidden><h1></h1><div class="content"></div></article></body></html>`;

/**
 * The body as the public page will show it: rendered by the server's one renderer (which
 * sanitizes it), a moment after typing pauses, in a sandboxed frame with the blog's stylesheet.
 * The frame runs no script whatever the HTML holds (no `allow-scripts`); same origin only so
 * the page can put each new rendering into it without a reload, keeping the scroll position.
 */
/** A notebook post's snapshot, shown after the body: which post, and when it was imported. */
export interface PreviewNotebook {
  postId: number;
  importedAt: string;
}

interface Props {
  title: string;
  body: string;
  cover: string | null;
  notebook: PreviewNotebook | null;
}

export function Preview({ title, body, cover, notebook }: Props) {
  const settled = useDebouncedValue(body, 350);
  const frame = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  const preview = useQuery({
    queryKey: keys.postPreview(settled, notebook ? `${notebook.postId}@${notebook.importedAt}` : null),
    queryFn: () => previewPost(settled, notebook?.postId),
    placeholderData: (previous) => previous,
    staleTime: Infinity,
    gcTime: 30_000,
    retry: false,
  });
  const html = preview.data?.html;
  const behind = settled !== body || preview.isFetching;

  useEffect(() => {
    const doc = frame.current?.contentDocument;
    if (!ready || !doc) return;
    const heading = doc.querySelector("h1");
    if (heading) heading.textContent = title || "Untitled";
    const image = doc.querySelector<HTMLImageElement>("img.cover");
    if (image) {
      image.hidden = !cover;
      if (cover) image.src = cover;
      else image.removeAttribute("src");
    }
    const content = doc.querySelector(".content");
    if (content && html !== undefined) content.innerHTML = html;
  }, [ready, title, cover, html]);

  return (
    <section className="editor-pane editor-preview" aria-label="Preview" aria-busy={behind}>
      <p className="preview-state hint" aria-live="polite">
        {preview.isError ? "" : behind ? "Updating preview…" : "Preview"}
      </p>
      {preview.isError ? (
        <ErrorMessage error={preview.error} title="Preview unavailable" onRetry={() => void preview.refetch()} />
      ) : null}
      <iframe
        ref={frame}
        title="Preview of the post"
        className="preview-frame"
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        srcDoc={FRAME}
        onLoad={() => setReady(true)}
      />
    </section>
  );
}
