import { useState } from "react";
import { StatusBadge } from "../notebooks/StatusBadge";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { ErrorMessage } from "../ui/ErrorMessage";
import { AdminTable } from "./AdminTable";
import type { AdminNotebook } from "./api";
import { useAllNotebooks, useDeleteAnyNotebook, useStopAnyNotebook } from "./queries";

function DeleteDialog({ notebook, onClose }: { notebook: AdminNotebook; onClose: () => void }) {
  const remove = useDeleteAnyNotebook();
  const [purge, setPurge] = useState(false);
  return (
    <ConfirmDialog
      open
      title={`Delete ${notebook.owner}'s notebook ${notebook.name}?`}
      confirmLabel="Delete notebook"
      danger
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() => remove.mutate({ id: notebook.id, purge }, { onSuccess: onClose })}
    >
      <label className="checkbox">
        <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.currentTarget.checked)} /> Also delete its
        files (the volume)
      </label>
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </ConfirmDialog>
  );
}

function Row({ notebook }: { notebook: AdminNotebook }) {
  const stop = useStopAnyNotebook();
  const [deleting, setDeleting] = useState(false);
  const label = `${notebook.owner}/${notebook.name}`;
  return (
    <tr aria-label={label}>
      <th scope="row">{notebook.name}</th>
      <td>{notebook.owner}</td>
      <td>
        <StatusBadge status={notebook.status} name={label} />
        {notebook.status_reason ? <div className="hint">{notebook.status_reason}</div> : null}
      </td>
      <td className="mono">{notebook.image}</td>
      <td>
        {notebook.cpus} CPU · {notebook.memory_mb} MB
      </td>
      <td className="row-actions">
        <button
          type="button"
          disabled={notebook.desired_state !== "running" || stop.isPending}
          onClick={() => stop.mutate(notebook.id)}
        >
          Stop {label}
        </button>
        <button type="button" className="danger" onClick={() => setDeleting(true)}>
          Delete {label}
        </button>
        {stop.isError ? <ErrorMessage error={stop.error} /> : null}
        {deleting ? <DeleteDialog notebook={notebook} onClose={() => setDeleting(false)} /> : null}
      </td>
    </tr>
  );
}

export function AdminNotebooksPage() {
  const notebooks = useAllNotebooks();
  return (
    <section aria-labelledby="admin-notebooks-title">
      <h1 id="admin-notebooks-title">All notebooks</h1>
      {notebooks.isError ? <ErrorMessage error={notebooks.error} title="Notebooks" /> : null}
      {notebooks.data?.count === 0 ? <p className="empty">No notebooks yet.</p> : null}
      {notebooks.data?.count ? (
        <AdminTable columns={["Notebook", "Owner", "Status", "Image", "Resources"]}>
          {notebooks.data.data.map((notebook) => (
            <Row key={notebook.id} notebook={notebook} />
          ))}
        </AdminTable>
      ) : null}
    </section>
  );
}
