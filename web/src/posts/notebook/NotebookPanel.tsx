import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { refreshNotebook } from "../../api/posts";
import type { PostNotebookInfo, PostPublic } from "../../api/types";
import { formatWhen } from "../editor/schedule";
import { embedSnippet, refreshProblem } from "./notebookPosts";

interface Props {
  post: PostPublic;
  notebook: PostNotebookInfo;
  /** Saves what is typed first, and gives the version the update goes over. */
  beforeUpdate: () => Promise<number | null>;
  onUpdated: (post: PostPublic) => void;
  /** The post changed on the server meanwhile: show its latest version. */
  onStale: () => Promise<void>;
}

/** Where a notebook post's snapshot came from, "Update from notebook", and its cells to embed. */
export function NotebookPanel({ post, notebook, beforeUpdate, onUpdated, onStale }: Props) {
  const [showInput, setShowInput] = useState(notebook.show_input);
  const fromServer = notebook.notebook_id !== null;
  const update = useMutation({
    mutationFn: async () => {
      const over = await beforeUpdate();
      if (over === null) throw new Error("the post is not saved yet");
      try {
        return await refreshNotebook(post.id, over, showInput);
      } catch (error) {
        // Still pending while the latest version loads: a second try then goes over it.
        if (refreshProblem(error, fromServer).kind === "stale") await onStale();
        throw error;
      }
    },
    onSuccess: onUpdated,
  });
  const problem = update.isError ? refreshProblem(update.error, fromServer) : null;

  return (
    <section className="card notebook-panel" aria-labelledby="notebook-panel-title">
      <h2 id="notebook-panel-title">Notebook</h2>
      <p>
        The notebook <code>{notebook.path}</code>{" "}
        {fromServer ? `of notebook server #${notebook.notebook_id}` : "(uploaded)"}, as it was{" "}
        {formatWhen(notebook.imported_at)}. Its snapshot follows the body on the page.
      </p>
      {fromServer ? (
        <div className="row-actions">
          <label>
            <input type="checkbox" checked={showInput} onChange={(event) => setShowInput(event.target.checked)} /> Show
            code cells
          </label>
          <button type="button" onClick={() => update.mutate()} disabled={update.isPending}>
            Update from notebook
          </button>
          {update.isPending ? <span role="status">Reading the notebook…</span> : null}
          {update.isSuccess ? <span role="status">Updated from the notebook.</span> : null}
        </div>
      ) : (
        <p className="hint">It was uploaded, so it cannot be read again: upload the new .ipynb as a new post.</p>
      )}
      {problem ? (
        <p className="error" role="alert">
          {problem.message}
          {problem.kind === "not-running" ? (
            <>
              {" "}
              <Link to="/notebooks">Notebooks</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {notebook.cells.length ? (
        <details>
          <summary>Embed a cell's output in another post</summary>
          <p className="hint">Put one of these in a post's body; it shows that cell's output as it is here.</p>
          <ul className="cells">
            {notebook.cells.map((cell) => (
              <li key={cell}>
                <code>{embedSnippet(post.id, cell).split("\n")[0]}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
