import { useState } from "react";
import { errorMessage } from "../api/errors";
import type { NotebookPublic } from "../api/types";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { useDeleteNotebook } from "./queries";

/** Deleting says plainly whether the volume (the person's files) is kept or purged. */
export function DeleteNotebookDialog({ notebook, open, onClose }: { notebook: NotebookPublic; open: boolean; onClose: () => void }) {
  const remove = useDeleteNotebook(notebook.id);
  const [purge, setPurge] = useState(!notebook.keep_volume);
  const volume = `workspace-nb-${notebook.id}`;
  return (
    <ConfirmDialog
      open={open}
      title={`Delete notebook “${notebook.name}”?`}
      confirmLabel={purge ? "Delete notebook and volume" : "Delete notebook, keep volume"}
      danger
      busy={remove.isPending}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() => remove.mutate(purge, { onSuccess: onClose })}
    >
      <p>Its container is stopped and removed.</p>
      <label className="checkbox">
        <input type="checkbox" checked={purge} onChange={(event) => setPurge(event.target.checked)} />
        Also delete its volume (purge)
      </label>
      <p className={purge ? "warning" : "hint"}>
        {purge
          ? `The volume ${volume} and every file in it will be deleted for good.`
          : `The volume ${volume} is kept: its files stay on this server.`}
      </p>
      {remove.isError ? <p className="error" role="alert">{errorMessage(remove.error)}</p> : null}
    </ConfirmDialog>
  );
}
