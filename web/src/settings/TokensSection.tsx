import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { keys } from "../api/keys";
import { createToken, fetchTokens } from "../api/tokens";
import type { ApiTokenCreated } from "../api/types";
import { ErrorMessage } from "../ui/ErrorMessage";
import { Field } from "../ui/Field";
import { applyServerErrors } from "../ui/serverErrors";
import { NewTokenSecret } from "./NewTokenSecret";
import { TokenRow } from "./TokenRow";


export function TokensSection() {
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: fetchTokens });
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<{ name: string }>({ defaultValues: { name: "" } });
  const create = useMutation({
    mutationFn: (name: string) => createToken(name),
    onSuccess: (token) => {
      setCreated(token);
      reset();
      void qc.invalidateQueries({ queryKey: keys.tokens });
    },
    onError: (error) => setFormError(applyServerErrors(error, setError, ["name"])),
  });

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="hint">For scripts and tools. A token acts as you; revoke the ones you no longer use.</p>
      {created ? <NewTokenSecret token={created} onDone={() => setCreated(null)} /> : null}
      <form
        className="inline-form"
        aria-label="Create a token"
        onSubmit={handleSubmit(({ name }) => {
          setFormError(null);
          create.mutate(name.trim());
        })}
      >
        <Field label="Token name" error={formState.errors.name?.message}>
          <input maxLength={100} autoComplete="off" {...register("name", { validate: (v) => v.trim() !== "" || "Give the token a name" })} />
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
                <th scope="col">Created</th>
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
