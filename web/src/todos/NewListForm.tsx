import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { keys } from "../api/keys";
import { createList } from "../api/todos";
import { applyServerErrors } from "../ui/serverErrors";
import { ListFields, type ListValues } from "./ListFields";

const COLORS = ["#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#ec4899"];

export function NewListForm() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<ListValues>({
    defaultValues: { name: "", color: COLORS[0] },
  });
  const create = useMutation({
    mutationFn: (values: ListValues) => createList(values.name.trim(), values.color),
    onSuccess: (list) => {
      void qc.invalidateQueries({ queryKey: keys.lists });
      reset({ name: "", color: COLORS[Math.floor(Math.random() * COLORS.length)] });
      setOpen(false);
      void navigate(`/todos?list=${list.id}`);
    },
    onError: (error) => setFormError(applyServerErrors(error, setError, ["name", "color"])),
  });

  if (!open) {
    return (
      <button type="button" className="link-button new-list" onClick={() => setOpen(true)}>
        + New list
      </button>
    );
  }
  return (
    <form
      className="list-edit"
      aria-label="New list"
      onSubmit={handleSubmit((values) => {
        setFormError(null);
        create.mutate(values);
      })}
      onKeyDown={(event) => {
        if (event.key === "Escape") setOpen(false);
      }}
    >
      <ListFields nameLabel="New list name" register={register} errors={formState.errors} formError={formError} />
      <div className="row-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Create list
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
