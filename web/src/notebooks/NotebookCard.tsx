import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../api/errors";
import type { NotebookOptions, NotebookPublic } from "../api/types";
import { DeleteNotebookDialog } from "./DeleteNotebookDialog";
import { NotebookEditForm } from "./NotebookEditForm";
import type { Phase } from "./phases";
import { useNotebookAction, type NotebookActionName } from "./queries";
import { StartTimeline } from "./StartTimeline";
import { StatusBadge } from "./StatusBadge";

const RUNNING = new Set(["pending", "creating", "starting", "healthy", "unhealthy"]);

interface Props {
  notebook: NotebookPublic;
  phases: Phase[] | undefined;
  options: NotebookOptions | undefined;
}

export function NotebookCard({ notebook, phases, options }: Props) {
  const action = useNotebookAction(notebook.id);
  const [deleting, setDeleting] = useState(false);
  const [configuring, setConfiguring] = useState(false);
  const running = notebook.desired_state === "running" && RUNNING.has(notebook.status);
  const deleted = notebook.desired_state === "deleted";
  const titleId = `nb-${notebook.id}-title`;
  const run = (name: NotebookActionName) => action.mutate(name);

  return (
    <article className="card notebook" aria-labelledby={titleId}>
      <header className="notebook-header">
        <h2 id={titleId}>{notebook.name}</h2>
        <StatusBadge status={notebook.status} name={notebook.name} />
      </header>
      {notebook.status_reason && (notebook.status === "error" || notebook.status === "unhealthy" || notebook.status === "stopped") ? (
        <p className={notebook.status === "stopped" ? "hint" : "error"}>{notebook.status_reason}</p>
      ) : null}
      <StartTimeline status={notebook.status} phases={phases} />
      {configuring && options ? (
        <NotebookEditForm notebook={notebook} options={options} onDone={() => setConfiguring(false)} />
      ) : null}
      <dl className="facts">
        <div><dt>Image</dt><dd className="mono">{notebook.image}</dd></div>
        <div><dt>CPUs</dt><dd>{notebook.cpus}</dd></div>
        <div><dt>Memory</dt><dd>{notebook.memory_mb} MB</dd></div>
        <div><dt>Idle stop</dt><dd>{notebook.idle_timeout_minutes ? `${notebook.idle_timeout_minutes} min` : "never"}</dd></div>
        <div><dt>Volume</dt><dd>{notebook.keep_volume ? "kept on delete" : "deleted with it"}</dd></div>
        {options ? (
          // Its own origin, apart from the dashboard's: where scripts send their API token.
          <div><dt>Address</dt><dd className="mono">{options.notebook_url_template.replace("{key}", notebook.key)}</dd></div>
        ) : null}
        {Object.keys(notebook.env).length ? (
          <div><dt>Env</dt><dd className="mono">{Object.keys(notebook.env).join(", ")}</dd></div>
        ) : null}
      </dl>
      {deleted ? (
        <p className="hint">Being deleted…</p>
      ) : (
        <div className="row-actions" role="group" aria-label={`Actions for ${notebook.name}`}>
          {notebook.status === "healthy" ? (
            // The dashboard checks the session, then hands this tab over to the notebook's
            // own origin (a one-time ticket): JupyterLab never runs on the dashboard's.
            <a className="button primary" href={notebook.url} target="_blank" rel="noopener noreferrer">
              Open<span className="visually-hidden"> {notebook.name} in a new tab</span> ↗
            </a>
          ) : (
            <button type="button" className="primary" disabled title="Opens when the notebook is healthy">
              Open
            </button>
          )}
          {running ? (
            <button type="button" onClick={() => run("stop")} disabled={action.isPending}>
              Stop
            </button>
          ) : (
            <button type="button" onClick={() => run("start")} disabled={action.isPending}>
              Start
            </button>
          )}
          <button type="button" onClick={() => run("restart")} disabled={action.isPending}>
            Restart
          </button>
          <Link className="button" to={`/notebook-servers/${notebook.id}/logs`}>
            Logs
          </Link>
          {options ? (
            <button type="button" aria-expanded={configuring} onClick={() => setConfiguring((v) => !v)}>
              Configure
            </button>
          ) : null}
          <button type="button" className="danger" onClick={() => setDeleting(true)}>
            Delete
          </button>
        </div>
      )}
      {action.isError ? (
        <p className="error" role="alert">
          Could not {action.variables}: {errorMessage(action.error)}
        </p>
      ) : null}
      <DeleteNotebookDialog notebook={notebook} open={deleting} onClose={() => setDeleting(false)} />
    </article>
  );
}
