import { useState } from "react";
import { Link, useParams } from "react-router";
import { LogView } from "./LogView";
import { useNotebooks } from "./queries";
import { StatusBadge } from "./StatusBadge";

export function LogsPage() {
  const id = Number(useParams().id);
  const notebooks = useNotebooks();
  const notebook = notebooks.data?.data.find((n) => n.id === id);
  const [follow, setFollow] = useState(true);
  const [attempt, setAttempt] = useState(0);

  return (
    <section className="page" aria-labelledby="logs-title">
      <p>
        <Link to="/notebook-servers">← Notebooks</Link>
      </p>
      <header className="page-header">
        <h1 id="logs-title">Logs of {notebook?.name ?? `notebook ${id}`}</h1>
        {notebook ? <StatusBadge status={notebook.status} name={notebook.name} /> : null}
      </header>
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />
          Follow new lines
        </label>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          Reload
        </button>
      </div>
      <LogView key={`${id}-${follow}-${attempt}`} id={id} follow={follow} onRetry={() => setAttempt((n) => n + 1)} />
    </section>
  );
}
