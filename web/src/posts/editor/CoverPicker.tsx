import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { errorMessage } from "../../api/errors";
import { keys } from "../../api/keys";
import { fetchImages, uploadImage } from "../../api/posts";
import { ErrorMessage } from "../../ui/ErrorMessage";
import type { Cover } from "./draft";
import { ACCEPT } from "./images";

interface Props {
  cover: Cover | null;
  onChange: (cover: Cover | null) => void;
}

/** The cover: one of your post images (or one uploaded here), shown above the title on the page,
 * in the preview, and in feeds and link previews. */
export function CoverPicker({ cover, onChange }: Props) {
  const [choosing, setChoosing] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const qc = useQueryClient();
  const images = useQuery({ queryKey: keys.postImages, queryFn: fetchImages, enabled: choosing });
  const upload = useMutation({
    mutationFn: uploadImage,
    onSuccess: (image) => {
      onChange({ id: image.id, url: image.url });
      setChoosing(false);
      void qc.invalidateQueries({ queryKey: keys.postImages });
    },
  });

  return (
    <div className="cover-picker" role="group" aria-label="Cover image">
      {cover ? <img className="cover-thumb" src={cover.url} alt="The cover" /> : <span className="hint">No cover.</span>}
      <button type="button" className="small" aria-expanded={choosing} onClick={() => setChoosing((v) => !v)}>
        {cover ? "Change cover…" : "Add a cover…"}
      </button>
      {cover ? (
        <button type="button" className="small" onClick={() => onChange(null)}>
          Remove cover
        </button>
      ) : null}
      {choosing ? (
        <>
          <button type="button" className="small" onClick={() => picker.current?.click()} disabled={upload.isPending}>
            Upload a new image…
          </button>
          <input
            ref={picker}
            type="file"
            accept={ACCEPT}
            hidden
            aria-label="Cover image to upload"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) upload.mutate(file);
              event.target.value = "";
            }}
          />
          {upload.isPending ? <p className="hint" role="status">Uploading…</p> : null}
          {upload.isError ? (
            <p className="error" role="alert">
              Could not upload: {errorMessage(upload.error)}
            </p>
          ) : null}
          {images.isError ? <ErrorMessage error={images.error} title="Images" onRetry={() => void images.refetch()} /> : null}
          {images.isSuccess && images.data.data.length === 0 ? <p className="hint">No images uploaded yet.</p> : null}
          {images.data?.data.length ? (
            <ul className="cover-choices" aria-label="Your images">
              {images.data.data.map((image) => (
                <li key={image.id}>
                  <button
                    type="button"
                    aria-pressed={cover?.id === image.id}
                    aria-label={`Use image ${image.id} (${image.width}×${image.height}) as the cover`}
                    onClick={() => {
                      onChange({ id: image.id, url: image.url });
                      setChoosing(false);
                    }}
                  >
                    <img className="cover-thumb" src={image.url} alt="" loading="lazy" />
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
