import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";
import type { AdminUserCreated } from "./api";
import { useCreateUser } from "./queries";

interface Values {
  username: string;
  password: string;
  is_admin: boolean;
}

export function NewUserForm({ onCreated }: { onCreated: (user: AdminUserCreated) => void }) {
  const create = useCreateUser();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<Values>({
    defaultValues: { username: "", password: "", is_admin: false },
  });
  return (
    <form
      className="inline-form"
      aria-label="Create a user"
      onSubmit={handleSubmit((values) => {
        setFormError(null);
        create.mutate(
          { username: values.username.trim(), password: values.password || null, is_admin: values.is_admin },
          {
            onSuccess: (user) => {
              reset();
              onCreated(user);
            },
            onError: (error) => setFormError(applyServerErrors(error, setError, ["username", "password"])),
          },
        );
      })}
    >
      <Field label="Username" error={formState.errors.username?.message}>
        <input autoComplete="off" maxLength={64} {...register("username", { required: "Give a username" })} />
      </Field>
      <Field label="Password" hint="Leave empty to generate one" error={formState.errors.password?.message}>
        <input type="password" autoComplete="new-password" {...register("password")} />
      </Field>
      <label className="checkbox">
        <input type="checkbox" {...register("is_admin")} /> Admin
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        Create user
      </button>
      {formError ? (
        <p className="error" role="alert">
          {formError}
        </p>
      ) : null}
    </form>
  );
}
