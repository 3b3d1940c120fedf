import type { NotebookStatus } from "../api/types";

const LABELS: Record<NotebookStatus, string> = {
  pending: "Pending",
  creating: "Creating",
  starting: "Starting",
  healthy: "Healthy",
  unhealthy: "Unhealthy",
  stopping: "Stopping",
  stopped: "Stopped",
  removed: "Removed",
  error: "Error",
};

const BUSY = new Set<NotebookStatus>(["pending", "creating", "starting", "stopping"]);

/** The live status of a notebook; screen readers hear it change. */
export function StatusBadge({ status, name }: { status: NotebookStatus; name: string }) {
  return (
    <span
      className={`badge badge-${status}${BUSY.has(status) ? " busy" : ""}`}
      role="status"
      aria-live="polite"
      aria-label={`${name}: ${LABELS[status]}`}
      data-status={status}
    >
      <span className="badge-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
