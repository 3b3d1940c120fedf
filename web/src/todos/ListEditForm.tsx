import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { keys } from "../api/keys";
import { updateList } from "../api/todos";
import type { TodoListPublic } from "../api/types";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";

interface Values {
  name: string;
  color: string;
}

/** Rename and recolour a list (and the way to delete it). */
export function ListEditForm({ list, onDone, onDelete }: { list: TodoListPublic; onDone: () => void; onDelete: () => void }) {
  const qc = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    defaultValues: { name: list.name, color: list.color },
  });
  const save = useMutation({
    mutationFn: (values: Values) => updateList(list.id, { name: values.name.trim(), color: values.color }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.lists });
      onDone();
    },
    onError: (error) => setFormError(applyServerErrors(error, setError, ["name", "color"])),
  });

  return (
    <form
      className="list-edit"
      aria-label={`Edit list ${list.name}`}
      onSubmit={handleSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
      onKeyDown={(event) => {
        if (event.key === "Escape") onDone();
      }}
    >
      <Field label="List name" error={formState.errors.name?.message}>
        <input autoFocus maxLength={100} {...register("name", { required: "A list needs a name", validate: (v) => v.trim() !== "" || "A list needs a name" })} />
      </Field>
      <Field label="Colour" error={formState.errors.color?.message}>
        <input type="color" {...register("color")} />
      </Field>
      {formError ? <p className="error" role="alert">{formError}</p> : null}
      <div className="row-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onDelete}>
          Delete…
        </button>
      </div>
    </form>
  );
}
