import { useState } from "react";
import { ErrorMessage } from "../ui/ErrorMessage";
import { AdminTable } from "./AdminTable";
import { useAudit } from "./queries";

const PAGE = 50;

export function AdminAuditPage() {
  const [offset, setOffset] = useState(0);
  const [action, setAction] = useState("");
  const audit = useAudit(offset, action);
  const count = audit.data?.count ?? 0;
  return (
    <section aria-labelledby="admin-audit-title">
      <h1 id="admin-audit-title">Audit log</h1>
      <label className="inline-form">
        Action{" "}
        <select
          value={action}
          onChange={(e) => {
            setOffset(0);
            setAction(e.currentTarget.value);
          }}
        >
          <option value="">All</option>
          {["user.create", "user.update", "user.disable", "user.password_reset", "user.delete", "notebook.stop", "notebook.delete", "settings.update"].map(
            (name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ),
          )}
        </select>
      </label>
      {audit.isError ? <ErrorMessage error={audit.error} title="Audit log" /> : null}
      {audit.data?.count === 0 ? <p className="empty">Nothing recorded yet.</p> : null}
      {audit.data?.data.length ? (
        <AdminTable columns={["When", "Who", "Action", "On", "Details"]} actions={false}>
          {audit.data.data.map((entry) => (
            <tr key={entry.id}>
              <td>{new Date(entry.created_at).toLocaleString()}</td>
              <td>{entry.actor}</td>
              <td className="mono">{entry.action}</td>
              <td>{entry.target}</td>
              <td className="mono details">{JSON.stringify(entry.details)}</td>
            </tr>
          ))}
        </AdminTable>
      ) : null}
      <div className="row-actions">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Newer
        </button>
        <button type="button" disabled={offset + PAGE >= count} onClick={() => setOffset(offset + PAGE)}>
          Older
        </button>
      </div>
    </section>
  );
}
