import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { isUnauthorized } from "../api/errors";
import { ErrorMessage } from "../ui/ErrorMessage";
import { signInPath } from "./next";
import { useMe } from "./useMe";

/** Shows its children to a signed-in person; anyone else goes to sign in, then comes back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return (
      <p className="page-loading" role="status">
        Loading…
      </p>
    );
  }
  if (me.isError) {
    if (isUnauthorized(me.error)) {
      return <Navigate to={signInPath(location.pathname + location.search)} replace />;
    }
    return (
      <main className="center-page">
        <ErrorMessage error={me.error} title="Cannot reach WorkSpace" onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return children;
}
