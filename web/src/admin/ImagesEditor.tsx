import { useState } from "react";
import { AdminTable } from "./AdminTable";
import type { ImageChoice, ImageStatus, SiteSettingsPublic, SiteSettingsUpdate } from "./api";

function engineState(image: ImageStatus | undefined): string {
  const build = image?.build;
  if (build && build.state !== "done") {
    if (build.state === "failed") return `build failed${build.detail ? `: ${build.detail}` : ""}`;
    if (build.step && build.total) return `building: step ${build.step} of ${build.total}`;
    return build.state === "preparing" ? "preparing the base image" : "building";
  }
  if (image?.present === true) return "on the engine";
  if (image?.present === false) return "not on the engine";
  return "unknown (no worker reports)";
}

const blank = (): ImageChoice => ({ image: "", description: "", default_cpus: null, default_memory_mb: null });

export function ImagesEditor({ settings, busy, onSave }: {
  settings: SiteSettingsPublic;
  busy: boolean;
  onSave: (change: SiteSettingsUpdate) => void;
}) {
  const [rows, setRows] = useState<ImageChoice[]>(settings.effective.notebook_images);
  const status = new Map(settings.images.map((image) => [image.image, image]));
  const fromDatabase = settings.source.notebook_images === "database";
  const set = (index: number, change: Partial<ImageChoice>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const number = (value: string) => (value === "" ? null : Number(value));
  return (
    <form
      aria-label="Image allow-list"
      onSubmit={(event) => {
        event.preventDefault();
        onSave({ notebook_images: rows.map((row) => ({ ...row, image: row.image.trim() })) });
      }}
    >
      <p className="hint">
        The first image is the default for new notebooks.{" "}
        <span data-testid="source-notebook_images">
          {fromDatabase ? "Set here, over the list of WORKSPACE_NOTEBOOK_IMAGES." : "From WORKSPACE_NOTEBOOK_IMAGES."}
        </span>
      </p>
      <AdminTable columns={["Image", "Description", "Default CPUs", "Default memory (MB)", "On the engine"]}>
        {rows.map((row, index) => (
          <tr key={index}>
            <td>
              <input aria-label={`Image ${index + 1}`} className="mono" value={row.image} onChange={(e) => set(index, { image: e.currentTarget.value })} />
            </td>
            <td>
              <input aria-label={`Description of image ${index + 1}`} value={row.description ?? ""} onChange={(e) => set(index, { description: e.currentTarget.value })} />
            </td>
            <td>
              <input aria-label={`Default CPUs of image ${index + 1}`} type="number" step={0.25} min={0} value={row.default_cpus ?? ""} onChange={(e) => set(index, { default_cpus: number(e.currentTarget.value) })} />
            </td>
            <td>
              <input aria-label={`Default memory of image ${index + 1}`} type="number" step={64} min={64} value={row.default_memory_mb ?? ""} onChange={(e) => set(index, { default_memory_mb: number(e.currentTarget.value) })} />
            </td>
            <td data-testid={`engine-${row.image}`}>{engineState(status.get(row.image))}</td>
            <td>
              <button type="button" disabled={rows.length === 1} onClick={() => setRows(rows.filter((_, i) => i !== index))}>
                Remove image {index + 1}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      <div className="row-actions">
        <button type="button" onClick={() => setRows([...rows, blank()])}>
          Add an image
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Save images
        </button>
        <button
          type="button"
          disabled={busy || !fromDatabase}
          onClick={() => {
            setRows(settings.environment.notebook_images);
            onSave({ notebook_images: null });
          }}
        >
          Use environment
        </button>
      </div>
    </form>
  );
}
