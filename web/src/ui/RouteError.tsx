import { useRouteError } from "react-router";
import { ErrorMessage } from "./ErrorMessage";

/** A page that failed to load or render (for instance after a deploy changed its chunk). */
export function RouteError() {
  const error = useRouteError();
  return (
    <main className="center-page">
      <h1>Something went wrong</h1>
      <ErrorMessage error={error} onRetry={() => window.location.reload()} />
    </main>
  );
}
