import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate, useSearchParams } from "react-router";
import { login } from "../api/auth";
import { keys } from "../api/keys";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";
import { safeNext } from "./next";

interface Values {
  username: string;
  password: string;
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    defaultValues: { username: "", password: "" },
  });
  const next = safeNext(params.get("next"));

  const onSubmit = async (values: Values) => {
    setFormError(null);
    try {
      const user = await login(values.username, values.password);
      queryClient.setQueryData(keys.me, user);
      if (next.startsWith("/notebooks/")) {
        // A notebook (JupyterLab through the proxy) is not a dashboard route: load it for real.
        window.location.assign(next);
      } else {
        void navigate(next, { replace: true });
      }
    } catch (error) {
      setFormError(applyServerErrors(error, setError, ["username", "password"]));
    }
  };

  return (
    <main className="center-page" id="main">
      <form className="card signin" onSubmit={handleSubmit(onSubmit)} noValidate aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to WorkSpace</h1>
        {params.get("next") ? <p className="hint">Sign in to continue where you were.</p> : null}
        <Field label="Username" error={formState.errors.username?.message}>
          <input autoComplete="username" autoFocus {...register("username", { required: "Enter your username" })} />
        </Field>
        <Field label="Password" error={formState.errors.password?.message}>
          <input type="password" autoComplete="current-password" {...register("password", { required: "Enter your password" })} />
        </Field>
        {formError ? (
          <p className="error" role="alert">
            {formError}
          </p>
        ) : null}
        <button type="submit" className="primary wide" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
