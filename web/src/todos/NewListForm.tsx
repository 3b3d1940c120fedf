import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { keys } from "../api/keys";
import { createList } from "../api/todos";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";

const COLORS = ["#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#ec4899"];

export function NewListForm() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<{ name: string; color: string }>({
    defaultValues: { name: "", color: COLORS[0] },
  });
  const create = useMutation({
    mutationFn: (values: { name: string; color: string }) => createList(values.name.trim(), values.color),
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
      <Field label="New list name" error={formState.errors.name?.message}>
        <input autoFocus maxLength={100} {...register("name", { validate: (v) => v.trim() !== "" || "A list needs a name" })} />
      </Field>
      <Field label="Colour" error={formState.errors.color?.message}>
        <input type="color" {...register("color")} />
      </Field>
      {formError ? <p className="error" role="alert">{formError}</p> : null}
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
