import { useState } from "react";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { ErrorMessage } from "../ui/ErrorMessage";
import type { AdminUserPublic, KeepOrRemove } from "./api";
import { useDeleteUser } from "./queries";

function Choice({ name, label, value, onChange }: {
  name: string;
  label: string;
  value: KeepOrRemove;
  onChange: (value: KeepOrRemove) => void;
}) {
  return (
    <fieldset className="choices">
      <legend>{label}</legend>
      {(["keep", "remove"] as const).map((option) => (
        <label key={option}>
          <input type="radio" name={name} checked={value === option} onChange={() => onChange(option)} />{" "}
          {option === "keep" ? "Keep" : "Remove"}
        </label>
      ))}
    </fieldset>
  );
}

export function DeleteUserDialog({ user, onClose }: { user: AdminUserPublic; onClose: () => void }) {
  const remove = useDeleteUser();
  const [volumes, setVolumes] = useState<KeepOrRemove>("keep");
  const [posts, setPosts] = useState<KeepOrRemove>("keep");
  return (
    <ConfirmDialog
      open
      title={`Delete ${user.username}?`}
      confirmLabel="Delete user"
      danger
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() => remove.mutate({ id: user.id, volumes, posts }, { onSuccess: onClose })}
    >
      <p>Their account, todos, tokens and notebooks go. Choose what happens to their files:</p>
      <Choice name="volumes" label="Notebook volumes (their files)" value={volumes} onChange={setVolumes} />
      <Choice name="posts" label="Blog posts" value={posts} onChange={setPosts} />
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </ConfirmDialog>
  );
}
