import { lazy, Suspense, useState } from "react";
import { errorMessage } from "../api/errors";
import type { TodoPublic } from "../api/types";
import { useUpdateTodo } from "./queries";

const Markdown = lazy(() => import("./Markdown"));

/** Notes rendered as markdown, edited in place. */
export function TodoNotes({ todo }: { todo: TodoPublic }) {
  const update = useUpdateTodo(todo);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(todo.notes);
  const id = `notes-${todo.id}`;

  if (editing) {
    return (
      <form
        className="notes-edit"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate({ notes: text }, { onSuccess: () => setEditing(false) });
        }}
      >
        <label htmlFor={id}>Notes (markdown)</label>
        <textarea
          id={id}
          rows={6}
          value={text}
          autoFocus
          maxLength={20000}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") setEditing(false);
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
          }}
        />
        {update.isError ? <p className="field-error" role="alert">{errorMessage(update.error)}</p> : null}
        <div className="row-actions">
          <button type="submit" className="primary" disabled={update.isPending}>
            Save notes
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <section className="notes" aria-label="Notes">
      {todo.notes.trim() ? (
        <Suspense fallback={<pre className="notes-raw">{todo.notes}</pre>}>
          <Markdown text={todo.notes} />
        </Suspense>
      ) : (
        <p className="hint">No notes.</p>
      )}
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setText(todo.notes);
          setEditing(true);
        }}
      >
        Edit notes
      </button>
    </section>
  );
}
