import { useState } from "react";
import { ErrorMessage } from "../ui/ErrorMessage";
import { AdminTable } from "./AdminTable";
import type { AdminUserCreated } from "./api";
import { NewUserForm } from "./NewUserForm";
import { OneTimePassword } from "./OneTimePassword";
import { useUsers } from "./queries";
import { UserRow } from "./UserRow";

export function AdminUsersPage() {
  const users = useUsers();
  const [shown, setShown] = useState<AdminUserCreated | null>(null);
  return (
    <section aria-labelledby="admin-users-title">
      <h1 id="admin-users-title">Users</h1>
      <p className="hint">
        Disabling a user signs them out everywhere at once and stops their notebooks; their data stays.
      </p>
      {shown ? <OneTimePassword user={shown} onDone={() => setShown(null)} /> : null}
      <NewUserForm onCreated={setShown} />
      {users.isError ? <ErrorMessage error={users.error} title="Users" onRetry={() => void users.refetch()} /> : null}
      {users.data ? (
        <AdminTable columns={["User", "Role", "State", "Notebooks", "Created"]}>
          {users.data.data.map((user) => (
            <UserRow key={user.id} user={user} onPassword={setShown} />
          ))}
        </AdminTable>
      ) : null}
    </section>
  );
}
