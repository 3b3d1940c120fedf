import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { keys } from "../api/keys";
import { changePassword } from "../api/sessions";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";

interface Form {
  current: string;
  next: string;
  repeat: string;
}

const MIN_LENGTH = 8;

export function PasswordSection() {
  const qc = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const { register, handleSubmit, setError, reset, formState, getValues } = useForm<Form>({
    defaultValues: { current: "", next: "", repeat: "" },
  });
  const change = useMutation({
    mutationFn: ({ current, next }: Form) => changePassword(current, next),
    onSuccess: () => {
      setDone(true);
      reset();
      void qc.invalidateQueries({ queryKey: keys.sessions });
    },
    onError: (error) =>
      setFormError(
        applyServerErrors(error, setError, ["current", "next"], {
          current_password: "current",
          new_password: "next",
        }),
      ),
  });
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <p className="hint">Changing it signs out every other browser; this one and your API tokens stay.</p>
      <form
        className="stack-form"
        aria-label="Change password"
        onSubmit={handleSubmit((values) => {
          setFormError(null);
          setDone(false);
          change.mutate(values);
        })}
      >
        <Field label="Current password" error={formState.errors.current?.message}>
          <input type="password" autoComplete="current-password" {...register("current", { required: "Enter your current password" })} />
        </Field>
        <Field label="New password" error={formState.errors.next?.message} hint={`At least ${MIN_LENGTH} characters.`}>
          <input
            type="password"
            autoComplete="new-password"
            {...register("next", { minLength: { value: MIN_LENGTH, message: `At least ${MIN_LENGTH} characters` } })}
          />
        </Field>
        <Field label="New password again" error={formState.errors.repeat?.message}>
          <input
            type="password"
            autoComplete="new-password"
            {...register("repeat", { validate: (v) => v === getValues("next") || "The two new passwords differ" })}
          />
        </Field>
        <button type="submit" className="primary" disabled={change.isPending}>
          Change password
        </button>
      </form>
      {done ? <p role="status">Password changed. Other browsers are signed out.</p> : null}
      {formError ? <p className="error" role="alert">{formError}</p> : null}
    </section>
  );
}
