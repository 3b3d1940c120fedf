import { useMutation, useQueryClient } from "@tanstack/react-query";
import { format, parseISO } from "date-fns";
import { useState } from "react";
import { errorMessage } from "../api/errors";
import { keys } from "../api/keys";
import { revokeToken } from "../api/tokens";
import type { ApiTokenPublic } from "../api/types";
import { ConfirmDialog } from "../ui/ConfirmDialog";

const when = (iso: string | null | undefined) => (iso ? format(parseISO(iso), "d MMM yyyy HH:mm") : "never");

export function TokenRow({ token }: { token: ApiTokenPublic }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => revokeToken(token.id),
    onSuccess: () => {
      setConfirming(false);
      void qc.invalidateQueries({ queryKey: keys.tokens });
    },
  });
  return (
    <tr>
      <td>{token.name}</td>
      <td className="mono">{token.prefix}…</td>
      <td>{token.scope}</td>
      <td>{when(token.created_at)}</td>
      <td>{when(token.expires_at)}</td>
      <td>{when(token.last_used_at)}</td>
      <td>
        <button type="button" className="danger small" onClick={() => setConfirming(true)}>
          Revoke<span className="visually-hidden"> {token.name}</span>
        </button>
        <ConfirmDialog
          open={confirming}
          title={`Revoke token “${token.name}”?`}
          confirmLabel="Revoke token"
          danger
          busy={revoke.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => revoke.mutate()}
        >
          <p>Scripts using it stop working at once.</p>
          {revoke.isError ? <p className="error" role="alert">{errorMessage(revoke.error)}</p> : null}
        </ConfirmDialog>
      </td>
    </tr>
  );
}
