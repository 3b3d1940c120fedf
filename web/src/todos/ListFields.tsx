import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { Field } from "../ui/Field";

export interface ListValues {
  name: string;
  color: string;
}

/** The fields of a todo list's form (name and colour) and the error the server gave for the form as a whole. */
export function ListFields({ nameLabel, register, errors, formError }: {
  nameLabel: string;
  register: UseFormRegister<ListValues>;
  errors: FieldErrors<ListValues>;
  formError: string | null;
}) {
  return (
    <>
      <Field label={nameLabel} error={errors.name?.message}>
        <input autoFocus maxLength={100} {...register("name", { validate: (v) => v.trim() !== "" || "A list needs a name" })} />
      </Field>
      <Field label="Colour" error={errors.color?.message}>
        <input type="color" {...register("color")} />
      </Field>
      {formError ? <p className="error" role="alert">{formError}</p> : null}
    </>
  );
}
