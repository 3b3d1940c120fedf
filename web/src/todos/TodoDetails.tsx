import { useState } from "react";
import { useForm } from "react-hook-form";
import type { Priority, TodoListPublic, TodoPublic } from "../api/types";
import { PRIORITIES } from "../api/types";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { ErrorMessage } from "../ui/ErrorMessage";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";
import { dueFromInputs, dueToInputs } from "./due";
import { useDeleteTodo, useUpdateTodo } from "./queries";
import { TodoNotes } from "./TodoNotes";

interface Values {
  date: string;
  time: string;
  priority: Priority;
  tags: string;
  list: string;
}

const tagsOf = (text: string) =>
  text
    .split(",")
    .map((t) => t.trim().replace(/^#/, ""))
    .filter((t, i, all) => t && all.indexOf(t) === i);

export function TodoDetails({ todo, lists }: { todo: TodoPublic; lists: TodoListPublic[] }) {
  const update = useUpdateTodo(todo);
  const remove = useDeleteTodo(todo);
  const [confirming, setConfirming] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState, reset } = useForm<Values>({
    values: {
      ...dueToInputs(todo.due),
      priority: todo.priority,
      tags: todo.tags.join(", "),
      list: todo.list_id === null ? "" : String(todo.list_id),
    },
  });
  const prefix = `todo-${todo.id}`;

  const save = (values: Values) => {
    setFormError(null);
    update.mutate(
      {
        due: dueFromInputs(values.date, values.time),
        priority: values.priority,
        tags: tagsOf(values.tags),
        list_id: values.list ? Number(values.list) : null,
      },
      {
        onSuccess: (saved) => reset({ ...dueToInputs(saved.due), priority: saved.priority, tags: saved.tags.join(", "), list: saved.list_id === null ? "" : String(saved.list_id) }),
        onError: (error) => setFormError(applyServerErrors(error, setError, ["date", "priority", "tags", "list"], { due: "date", list_id: "list" })),
      },
    );
  };

  return (
    <div className="todo-details" id={`${prefix}-details`}>
      <TodoNotes todo={todo} />
      <form className="details-form" aria-label={`Details of “${todo.title}”`} onSubmit={handleSubmit(save)}>
        <Field label="Due date" error={formState.errors.date?.message}>
          <input type="date" {...register("date")} />
        </Field>
        <Field label="Time" hint="optional">
          <input type="time" {...register("time")} />
        </Field>
        <Field label="Priority" error={formState.errors.priority?.message}>
          <select {...register("priority")}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Tags" hint="comma separated" error={formState.errors.tags?.message}>
          <input {...register("tags")} autoComplete="off" />
        </Field>
        <Field label="List" error={formState.errors.list?.message}>
          <select {...register("list")}>
            <option value="">Inbox</option>
            {lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </Field>
        {formError ? <p className="error" role="alert">{formError}</p> : null}
        <div className="row-actions">
          <button type="submit" className="primary" disabled={update.isPending || !formState.isDirty}>
            Save details
          </button>
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete todo
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title="Delete this todo?"
        confirmLabel="Delete todo"
        danger
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        <p>“{todo.title}” will be deleted for good.</p>
        {remove.isError ? <ErrorMessage error={remove.error} /> : null}
      </ConfirmDialog>
    </div>
  );
}
