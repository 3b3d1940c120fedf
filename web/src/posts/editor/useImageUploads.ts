import { useCallback, useState, type RefObject } from "react";
import { errorMessage } from "../../api/errors";
import { uploadImage } from "../../api/posts";
import { imageFiles, imageMarkdown, insertionFor, uploadPlaceholder } from "./images";
import type { MarkdownEditorHandle } from "./MarkdownEditor";

/**
 * Uploads pasted, dropped or picked images: a placeholder goes into the text at once, and is
 * replaced by the image's Markdown when the upload is done (or removed, with the reason shown,
 * when it failed). Typing goes on meanwhile.
 */
export function useImageUploads(editor: RefObject<MarkdownEditorHandle | null>) {
  const [uploading, setUploading] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);

  const upload = useCallback(
    (files: File[], at: number | null) => {
      const ed = editor.current;
      if (!ed) return;
      const images = imageFiles(files);
      const refused = files.filter((f) => !images.includes(f));
      setProblems(refused.map((f) => `${f.name || "That file"} is not an image this blog takes (PNG, JPEG, GIF or WebP).`));
      images.forEach((file, index) => {
        const placeholder = uploadPlaceholder(file.name);
        const pos = index === 0 && at !== null ? at : ed.cursor();
        ed.insert(insertionFor(ed.getText(), pos, placeholder), pos);
        setUploading((n) => n + 1);
        uploadImage(file)
          .then((image) => ed.replace(placeholder, imageMarkdown(file.name, image.url)))
          .catch((error: unknown) => {
            ed.replace(placeholder, "");
            setProblems((now) => [...now, `Could not upload ${file.name}: ${errorMessage(error)}`]);
          })
          .finally(() => setUploading((n) => n - 1));
      });
    },
    [editor],
  );

  return { upload, uploading, problems, dismiss: () => setProblems([]) };
}
