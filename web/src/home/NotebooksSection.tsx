import { Link } from "react-router";
import type { NotebookPublic } from "../api/types";
import { useNotebooks } from "../notebooks/queries";
import { StatusBadge } from "../notebooks/StatusBadge";
import { ErrorMessage } from "../ui/ErrorMessage";

/** Running means wanted running, and the ones on their way down until they are. */
const isRunning = (nb: NotebookPublic) => nb.desired_state === "running" || nb.status === "stopping";

/** The notebooks that run, with their live badges; the feed's snapshot and events fill it. */
export function NotebooksSection() {
  const notebooks = useNotebooks();
  const running = (notebooks.data?.data ?? []).filter(isRunning);

  return (
    <section className="card home-section" aria-labelledby="home-notebooks">
      <header className="home-section-header">
        <h2 id="home-notebooks">Running notebooks</h2>
        <Link to="/notebook-servers" className="home-more">
          All notebooks →
        </Link>
      </header>
      {notebooks.isError ? (
        <ErrorMessage error={notebooks.error} title="Notebooks" onRetry={() => void notebooks.refetch()} />
      ) : null}
      {notebooks.isPending ? <p role="status">Loading notebooks…</p> : null}
      {notebooks.isSuccess && running.length === 0 ? <p className="empty">No notebook is running.</p> : null}
      {running.length ? (
        <ul className="home-list" aria-label="Running notebooks">
          {running.map((nb) => (
            <li key={nb.id} className="home-notebook" data-notebook-id={nb.id}>
              <span className="home-item-title">{nb.name}</span>
              <StatusBadge status={nb.status} name={nb.name} />
              {nb.status === "healthy" ? (
                <a href={nb.url} target="_blank" rel="noopener noreferrer" className="button small">
                  Open<span className="visually-hidden"> {nb.name} in a new tab</span> ↗
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
