import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/errors";
import { keys } from "../api/keys";
import { clearCompleted } from "../api/todos";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { toApiQuery, type TodoFilters } from "./filters";

/** Deletes the completed todos of the current list (or of all lists). */
export function ClearCompleted({ filters, where }: { filters: TodoFilters; where: string }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState("");
  const clear = useMutation({
    mutationFn: () => clearCompleted(toApiQuery(filters).list_id),
    onSuccess: ({ deleted }) => {
      setOpen(false);
      setResult(`Cleared ${deleted} completed todo${deleted === 1 ? "" : "s"}.`);
      void qc.invalidateQueries({ queryKey: keys.todos });
      void qc.invalidateQueries({ queryKey: keys.lists });
      void qc.invalidateQueries({ queryKey: keys.tags });
    },
  });
  return (
    <div className="clear-completed">
      <button type="button" onClick={() => { clear.reset(); setResult(""); setOpen(true); }}>
        Clear completed
      </button>
      <span role="status" className="hint">{result}</span>
      <ConfirmDialog
        open={open}
        title="Clear completed todos?"
        confirmLabel="Clear completed"
        danger
        busy={clear.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() => clear.mutate()}
      >
        <p>Every completed todo in {where} will be deleted.</p>
        {clear.isError ? <p className="error" role="alert">{errorMessage(clear.error)}</p> : null}
      </ConfirmDialog>
    </div>
  );
}
