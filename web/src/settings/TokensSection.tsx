import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { keys } from "../api/keys";
import { createToken, fetchTokens } from "../api/tokens";
import type { ApiTokenCreated, TokenScope } from "../api/types";
import { ErrorMessage } from "../ui/ErrorMessage";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";
import { NewTokenSecret } from "./NewTokenSecret";
import { TokenRow } from "./TokenRow";

interface NewToken {
  name: string;
  scope: TokenScope;
  expires: string; // days, or "" for never
}

const SCOPES: { value: TokenScope; label: string }[] = [
  { value: "read", label: "Read only" },
  { value: "write", label: "Read and write" },
  { value: "full", label: "Full (can manage tokens)" },
];
const EXPIRY: { value: string; label: string }[] = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "", label: "Never" },
];

export function TokensSection() {
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: fetchTokens });
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<NewToken>({
    defaultValues: { name: "", scope: "write", expires: "90" },
  });
  const create = useMutation({
    mutationFn: ({ name, scope, expires }: NewToken) =>
      createToken(name.trim(), scope, expires === "" ? null : Number(expires)),
    onSuccess: (token) => {
      setCreated(token);
      reset();
      void qc.invalidateQueries({ queryKey: keys.tokens });
    },
    onError: (error) =>
      setFormError(applyServerErrors(error, setError, ["name", "scope"], { expires_in_days: "expires" })),
  });

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="hint">For scripts and tools. A token acts as you; revoke the ones you no longer use.</p>
      {created ? <NewTokenSecret token={created} onDone={() => setCreated(null)} /> : null}
      <form
        className="inline-form"
        aria-label="Create a token"
        onSubmit={handleSubmit((values) => {
          setFormError(null);
          create.mutate(values);
        })}
      >
        <Field label="Token name" error={formState.errors.name?.message}>
          <input maxLength={100} autoComplete="off" {...register("name", { validate: (v) => v.trim() !== "" || "Give the token a name" })} />
        </Field>
        <Field label="Access" error={formState.errors.scope?.message}>
          <select {...register("scope")}>
            {SCOPES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Expires after" error={formState.errors.expires?.message}>
          <select {...register("expires")}>
            {EXPIRY.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {formError ? <p className="error" role="alert">{formError}</p> : null}
      {tokens.isError ? <ErrorMessage error={tokens.error} title="Tokens" onRetry={() => void tokens.refetch()} /> : null}
      {tokens.data?.length === 0 ? <p className="empty">No tokens yet.</p> : null}
      {tokens.data?.length ? (
        <div className="table-wrap">
          <table className="tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Access</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((token) => (
                <TokenRow key={token.id} token={token} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
