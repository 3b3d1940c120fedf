import { useFieldArray, type Control, type FieldErrors, type UseFormRegister, type UseFormGetValues } from "react-hook-form";
import { envNameProblem } from "./envRules";
import type { CreateValues } from "./NotebookForm";

interface Props {
  control: Control<CreateValues>;
  register: UseFormRegister<CreateValues>;
  getValues: UseFormGetValues<CreateValues>;
  errors: FieldErrors<CreateValues>;
}

/** Rows of NAME = value; names are checked as they are typed. */
export function EnvEditor({ control, register, getValues, errors }: Props) {
  const { fields, append, remove } = useFieldArray({ control, name: "env" });
  return (
    <fieldset className="env-editor">
      <legend>Environment variables</legend>
      {fields.length === 0 ? <p className="hint">None.</p> : null}
      {fields.map((field, index) => {
        const nameError = errors.env?.[index]?.name?.message;
        const nameId = `env-${field.id}-name`;
        const valueId = `env-${field.id}-value`;
        return (
          <div className="env-row" key={field.id}>
            <div className="field">
              <label htmlFor={nameId}>Name {index + 1}</label>
              <input
                id={nameId}
                className="mono"
                autoComplete="off"
                spellCheck={false}
                aria-invalid={nameError ? true : undefined}
                aria-describedby={nameError ? `${nameId}-error` : undefined}
                {...register(`env.${index}.name`, {
                  validate: (name) => envNameProblem(name, getValues("env")) ?? true,
                })}
              />
              {nameError ? (
                <small id={`${nameId}-error`} className="field-error" role="alert">
                  {nameError}
                </small>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor={valueId}>Value {index + 1}</label>
              <input id={valueId} className="mono" autoComplete="off" spellCheck={false} maxLength={4096} {...register(`env.${index}.value`)} />
            </div>
            <button type="button" className="icon-button subtle" aria-label={`Remove variable ${index + 1}`} onClick={() => remove(index)}>
              ✕
            </button>
          </div>
        );
      })}
      {errors.root?.env?.message ? (
        <p className="field-error" role="alert">
          {errors.root.env.message}
        </p>
      ) : null}
      <button type="button" className="link-button" onClick={() => append({ name: "", value: "" })} disabled={fields.length >= 50}>
        + Add variable
      </button>
    </fieldset>
  );
}
