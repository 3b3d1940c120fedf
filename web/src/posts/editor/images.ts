/**
 * Images pasted, dropped or picked into the editor: which files qualify, the placeholder the text
 * shows while one uploads, and the Markdown that replaces it once the server gave its URL. The
 * server checks the content; this only spares the upload of what it would refuse anyway.
 */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export const ACCEPT = IMAGE_TYPES.join(",");

export function imageFiles(files: Iterable<File> | ArrayLike<File> | null | undefined): File[] {
  if (!files) return [];
  return Array.from(files as ArrayLike<File>).filter((f) => (IMAGE_TYPES as readonly string[]).includes(f.type));
}

/** Alt text from a file name: "my-cat_photo.png" → "my cat photo"; a pasted "image.png" → "image". */
export function altText(name: string): string {
  const stem = name.replace(/\.[A-Za-z0-9]{1,5}$/, "");
  const text = stem.replace(/[-_]+/g, " ").replace(/[[\]\\]/g, "").replace(/\s+/g, " ").trim();
  return text || "image";
}

let counter = 0;

/** A unique placeholder for one upload; unique so that several at once each find their own. */
export function uploadPlaceholder(name: string): string {
  counter += 1;
  return `![Uploading ${altText(name)}… #${Date.now().toString(36)}${counter}]()`;
}

/** The Markdown for an uploaded image. The URL is the server's, so only `)` and spaces need
 * escaping to keep it one link destination. */
export function imageMarkdown(alt: string, url: string): string {
  const safeUrl = url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `![${altText(alt)}](${safeUrl})`;
}

/** What to insert at the cursor: the image as a paragraph of its own (blank lines around it). */
export function insertionFor(doc: string, at: number, markdown: string): string {
  const head = doc.slice(0, at);
  const tail = doc.slice(at);
  const before = !head || head.endsWith("\n\n") ? "" : head.endsWith("\n") ? "\n" : "\n\n";
  const after = !tail || tail.startsWith("\n\n") ? "" : tail.startsWith("\n") ? "\n" : "\n\n";
  return `${before}${markdown}${after}`;
}
