import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/errors";
import { keys } from "../api/keys";
import { deleteList } from "../api/todos";
import type { TodoListPublic } from "../api/types";
import { ConfirmDialog } from "../ui/ConfirmDialog";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Deleting a list says what happens to its todos: moved to the Inbox, or deleted too. */
export function ListDeleteDialog({ list, open, onClose, onDeleted }: {
  list: TodoListPublic;
  open: boolean;
  onClose: () => void;
  onDeleted: (message: string) => void;
}) {
  const qc = useQueryClient();
  const [todos, setTodos] = useState<"move" | "delete">("move");
  const remove = useMutation({
    mutationFn: () => deleteList(list.id, todos),
    onSuccess: (result) => {
      void qc.invalidateQueries({ queryKey: keys.lists });
      void qc.invalidateQueries({ queryKey: keys.todos });
      onDeleted(
        `Deleted list “${list.name}”: ` +
          (result.todos_deleted
            ? `${plural(result.todos_deleted, "todo")} deleted.`
            : `${plural(result.todos_moved, "todo")} moved to the Inbox.`),
      );
    },
  });
  const count = list.todo_count;

  return (
    <ConfirmDialog
      open={open}
      title={`Delete list “${list.name}”?`}
      confirmLabel={todos === "delete" && count ? `Delete list and ${plural(count, "todo")}` : "Delete list"}
      danger
      busy={remove.isPending}
      onConfirm={() => remove.mutate()}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
    >
      {count === 0 ? (
        <p>The list is empty.</p>
      ) : (
        <fieldset className="choices">
          <legend>It has {plural(count, "todo")}. What happens to them?</legend>
          <label>
            <input type="radio" name="todos" checked={todos === "move"} onChange={() => setTodos("move")} />
            Move them to the Inbox
          </label>
          <label>
            <input type="radio" name="todos" checked={todos === "delete"} onChange={() => setTodos("delete")} />
            Delete them too
          </label>
        </fieldset>
      )}
      {remove.isError ? <p className="error" role="alert">{errorMessage(remove.error)}</p> : null}
    </ConfirmDialog>
  );
}
