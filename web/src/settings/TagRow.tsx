import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { errorMessage } from "../api/errors";
import { keys } from "../api/keys";
import { deleteTag, updateTag } from "../api/todos";
import type { TagPublic } from "../api/types";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { applyServerErrors } from "../ui/serverErrors";

/** One tag: rename and recolour in place, or delete (its todos keep their other tags). */
export function TagRow({ tag }: { tag: TagPublic }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState, reset } = useForm({ values: { name: tag.name, color: tag.color } });
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: keys.tags }), qc.invalidateQueries({ queryKey: keys.todos })]);
  const save = useMutation({
    mutationFn: (values: { name: string; color: string }) => updateTag(tag.id, { name: values.name.trim(), color: values.color }),
    onSuccess: async (saved) => {
      reset({ name: saved.name, color: saved.color });
      await refresh();
    },
    onError: (error) => setFormError(applyServerErrors(error, setError, ["name", "color"])),
  });
  const remove = useMutation({ mutationFn: () => deleteTag(tag.id), onSuccess: refresh });
  const nameId = `tag-${tag.id}-name`;

  return (
    <li className="tag-row">
      <form
        className="inline-form"
        aria-label={`Tag ${tag.name}`}
        onSubmit={handleSubmit((values) => {
          setFormError(null);
          save.mutate(values);
        })}
      >
        <label htmlFor={`${nameId}-color`} className="visually-hidden">
          Colour of {tag.name}
        </label>
        <input id={`${nameId}-color`} type="color" {...register("color")} />
        <label htmlFor={nameId} className="visually-hidden">
          Name of tag {tag.name}
        </label>
        <input
          id={nameId}
          maxLength={40}
          aria-invalid={formState.errors.name ? true : undefined}
          {...register("name", { validate: (v) => (v.trim() !== "" && !v.includes(",")) || "A name, without commas" })}
        />
        <span className="hint">{tag.todo_count} todo{tag.todo_count === 1 ? "" : "s"}</span>
        <button type="submit" className="small" disabled={!formState.isDirty || save.isPending}>
          Save
        </button>
        <button type="button" className="danger small" onClick={() => setConfirming(true)}>
          Delete<span className="visually-hidden"> tag {tag.name}</span>
        </button>
      </form>
      {formState.errors.name?.message ? <p className="field-error" role="alert">{formState.errors.name.message}</p> : null}
      {formError ? <p className="error" role="alert">{formError}</p> : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete tag “${tag.name}”?`}
        confirmLabel="Delete tag"
        danger
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        <p>It is taken off its {tag.todo_count} todo{tag.todo_count === 1 ? "" : "s"}; the todos stay.</p>
        {remove.isError ? <p className="error" role="alert">{errorMessage(remove.error)}</p> : null}
      </ConfirmDialog>
    </li>
  );
}
