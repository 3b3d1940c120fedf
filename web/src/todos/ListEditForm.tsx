import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { keys } from "../api/keys";
import { updateList } from "../api/todos";
import type { TodoListPublic } from "../api/types";
import { applyServerErrors } from "../ui/serverErrors";
import { ListFields, type ListValues } from "./ListFields";

/** Rename and recolour a list (and the way to delete it). */
export function ListEditForm({ list, onDone, onDelete }: { list: TodoListPublic; onDone: () => void; onDelete: () => void }) {
  const qc = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<ListValues>({
    defaultValues: { name: list.name, color: list.color },
  });
  const save = useMutation({
    mutationFn: (values: ListValues) => updateList(list.id, { name: values.name.trim(), color: values.color }),
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
      <ListFields nameLabel="List name" register={register} errors={formState.errors} formError={formError} />
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
