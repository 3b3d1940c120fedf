import { ImageBuildNotice } from "./ImageBuildNotice";
import { useState } from "react";
import { ErrorMessage } from "../ui/ErrorMessage";
import { NotebookCard } from "./NotebookCard";
import { NotebookCreateForm } from "./NotebookCreateForm";
import { useNotebookOptions, useNotebooks, usePhases } from "./queries";

export function NotebooksPage() {
  const notebooks = useNotebooks();
  const options = useNotebookOptions();
  const phases = usePhases();
  const [showForm, setShowForm] = useState(false);
  const list = notebooks.data?.data ?? [];

  return (
    <section className="page" aria-labelledby="notebooks-title">
      <header className="page-header">
        <h1 id="notebooks-title">Notebooks</h1>
        {options.data?.docker_available ? (
          <button type="button" className="primary" aria-expanded={showForm} onClick={() => setShowForm((v) => !v)}>
            {showForm ? "Close form" : "New notebook"}
          </button>
        ) : null}
      </header>
      {options.isError ? <ErrorMessage error={options.error} title="Options" onRetry={() => void options.refetch()} /> : null}
      {options.data && !options.data.docker_available ? (
        <div className="card warning-card" role="alert">
          <h2>Notebooks are unavailable</h2>
          <p>{options.data.docker_error ?? "The server cannot reach a Docker engine."}</p>
          <p className="hint">Your todos and everything else keep working meanwhile.</p>
          <button type="button" onClick={() => void options.refetch()}>
            Check again
          </button>
        </div>
      ) : null}
      {options.data ? <ImageBuildNotice options={options.data} /> : null}
      {showForm && options.data?.docker_available ? (
        <NotebookCreateForm options={options.data} onCreated={() => setShowForm(false)} />
      ) : null}
      {notebooks.isError ? <ErrorMessage error={notebooks.error} title="Notebooks" onRetry={() => void notebooks.refetch()} /> : null}
      {notebooks.isPending ? <p role="status">Loading notebooks…</p> : null}
      {notebooks.isSuccess && list.length === 0 ? (
        <p className="empty">No notebooks yet.{options.data?.docker_available ? " Create one with “New notebook”." : ""}</p>
      ) : null}
      <div className="notebooks">
        {list.map((notebook) => (
          <NotebookCard key={notebook.id} notebook={notebook} phases={phases.data?.[notebook.id]} options={options.data} />
        ))}
      </div>
    </section>
  );
}
