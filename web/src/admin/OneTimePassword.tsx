import type { AdminUserCreated } from "./api";

/** A generated password, shown this once after a create or a reset. */
export function OneTimePassword({ user, onDone }: { user: AdminUserCreated; onDone: () => void }) {
  if (!user.initial_password) return null;
  return (
    <div className="card secret" role="region" aria-labelledby="password-title">
      <h3 id="password-title">Password of {user.username}</h3>
      <p>Give it to them now: it is shown only once.</p>
      <div className="secret-row">
        <input
          className="mono"
          readOnly
          value={user.initial_password}
          aria-label={`Password of ${user.username}`}
          onFocus={(event) => event.currentTarget.select()}
        />
      </div>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
