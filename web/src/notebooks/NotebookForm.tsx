import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import type { NotebookOptions } from "../api/types";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";
import { EnvEditor } from "./EnvEditor";
import { envObject, type EnvRow } from "./envRules";
import type { NotebookCreate } from "../api/types";

export interface CreateValues {
  name: string;
  image: string;
  cpus: number;
  memory_mb: number;
  idle_timeout_minutes: number;
  keep_volume: boolean;
  env: EnvRow[];
}

const NAME_RULE = /^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$/;

interface Props {
  options: NotebookOptions;
  initial: CreateValues;
  title: string;
  submitLabel: string;
  busy: boolean;
  hint?: string;
  /** Sends the values; resolves when saved, rejects with the api's error. */
  onSubmit: (body: Required<NotebookCreate>) => Promise<unknown>;
  onCancel?: () => void;
}

/** The notebook configuration form (create, and edit: applied at the next start). */
export function NotebookForm({ options, initial, title, submitLabel, busy, hint, onSubmit, onCancel }: Props) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, control, getValues, setError, formState } = useForm<CreateValues>({
    mode: "onTouched",
    defaultValues: initial,
  });
  const errors = formState.errors;
  const titleId = useId();
  const images = options.images.includes(initial.image) ? options.images : [initial.image, ...options.images];

  const submit = async (values: CreateValues) => {
    setFormError(null);
    try {
      await onSubmit({
        name: values.name,
        image: values.image,
        cpus: values.cpus,
        memory_mb: values.memory_mb,
        idle_timeout_minutes: values.idle_timeout_minutes,
        keep_volume: values.keep_volume,
        env: envObject(values.env),
      });
    } catch (error) {
      const fields = ["name", "image", "cpus", "memory_mb", "idle_timeout_minutes", "keep_volume", "root.env"] as const;
      setFormError(applyServerErrors(error, setError, fields, { env: "root.env" }));
    }
  };

  return (
    <form className="card notebook-form" aria-labelledby={titleId} onSubmit={handleSubmit(submit)} noValidate>
      <h2 id={titleId}>{title}</h2>
      {hint ? <p className="hint">{hint}</p> : null}
      <div className="form-grid">
        <Field label="Name" error={errors.name?.message} hint="lowercase letters, digits and dashes">
          <input
            autoComplete="off"
            spellCheck={false}
            maxLength={48}
            {...register("name", {
              required: "Enter a name",
              pattern: { value: NAME_RULE, message: "Lowercase letters, digits and dashes; start and end with a letter or digit" },
            })}
          />
        </Field>
        <Field label="Image" error={errors.image?.message}>
          <select {...register("image", { required: "Choose an image" })}>
            {images.map((image) => (
              <option key={image} value={image}>
                {image}
              </option>
            ))}
          </select>
        </Field>
        <Field label="CPUs" error={errors.cpus?.message} hint={`at most ${options.max_cpus}`}>
          <input
            type="number"
            step={0.25}
            min={0.25}
            max={options.max_cpus}
            {...register("cpus", {
              valueAsNumber: true,
              required: "Enter a number of CPUs",
              min: { value: 0.01, message: "More than 0" },
              max: { value: options.max_cpus, message: `At most ${options.max_cpus} on this server` },
            })}
          />
        </Field>
        <Field label="Memory (MB)" error={errors.memory_mb?.message} hint={`64 to ${options.max_memory_mb}`}>
          <input
            type="number"
            step={64}
            min={64}
            max={options.max_memory_mb}
            {...register("memory_mb", {
              valueAsNumber: true,
              required: "Enter the memory",
              min: { value: 64, message: "At least 64 MB" },
              max: { value: options.max_memory_mb, message: `At most ${options.max_memory_mb} MB on this server` },
              validate: (v) => Number.isInteger(v) || "A whole number of MB",
            })}
          />
        </Field>
        <Field label="Stop when idle for (minutes)" error={errors.idle_timeout_minutes?.message} hint="0: never">
          <input
            type="number"
            min={0}
            step={5}
            {...register("idle_timeout_minutes", {
              valueAsNumber: true,
              min: { value: 0, message: "0 or more" },
            })}
          />
        </Field>
        <div className="field checkbox">
          <input id={`${titleId}-keep`} type="checkbox" {...register("keep_volume")} />
          <label htmlFor={`${titleId}-keep`}>Keep the volume (the work directory) when the notebook is deleted</label>
        </div>
      </div>
      <EnvEditor control={control} register={register} getValues={getValues} errors={errors} />
      {formError ? <p className="error" role="alert">{formError}</p> : null}
      <div className="row-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
