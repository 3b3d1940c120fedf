import { useState } from "react";
import { useMe } from "../auth/useMe";
import { ErrorMessage } from "../ui/ErrorMessage";
import type { AdminUserCreated, AdminUserPublic } from "./api";
import { DeleteUserDialog } from "./DeleteUserDialog";
import { useResetPassword, useUpdateUser } from "./queries";

export function UserRow({ user, onPassword }: { user: AdminUserPublic; onPassword: (u: AdminUserCreated) => void }) {
  const me = useMe();
  const update = useUpdateUser();
  const reset = useResetPassword();
  const [deleting, setDeleting] = useState(false);
  const self = me.data?.id === user.id;
  const error = update.error ?? reset.error;
  return (
    <tr aria-label={user.username}>
      <th scope="row">
        {user.username}
        {self ? <span className="hint"> (you)</span> : null}
      </th>
      <td>{user.is_admin ? "Admin" : "User"}</td>
      <td>{user.disabled ? <span className="chip">Disabled</span> : "Active"}</td>
      <td>{user.notebook_count}</td>
      <td>{new Date(user.created_at).toLocaleDateString()}</td>
      <td className="row-actions">
        <button
          type="button"
          disabled={self || update.isPending}
          onClick={() => update.mutate({ id: user.id, body: { disabled: !user.disabled } })}
        >
          {user.disabled ? `Enable ${user.username}` : `Disable ${user.username}`}
        </button>
        <button
          type="button"
          disabled={self || update.isPending}
          onClick={() => update.mutate({ id: user.id, body: { is_admin: !user.is_admin } })}
        >
          {user.is_admin ? "Remove admin" : "Make admin"}
        </button>
        <button
          type="button"
          disabled={reset.isPending}
          onClick={() => reset.mutate({ id: user.id }, { onSuccess: onPassword })}
        >
          Reset password
        </button>
        <button type="button" className="danger" disabled={self} onClick={() => setDeleting(true)}>
          Delete
        </button>
        {error ? <ErrorMessage error={error} /> : null}
        {deleting ? <DeleteUserDialog user={user} onClose={() => setDeleting(false)} /> : null}
      </td>
    </tr>
  );
}
