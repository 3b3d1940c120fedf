import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { format, parseISO } from "date-fns";
import { errorMessage } from "../api/errors";
import { keys } from "../api/keys";
import { endSession, endSessions, fetchSessions } from "../api/sessions";
import type { SessionPublic } from "../api/types";
import { ErrorMessage } from "../ui/ErrorMessage";
import { describeAgent } from "./agent";

const when = (iso: string | null | undefined) => (iso ? format(parseISO(iso), "d MMM yyyy HH:mm") : "—");

function SessionRow({ session }: { session: SessionPublic }) {
  const qc = useQueryClient();
  const end = useMutation({
    mutationFn: () => endSession(session.id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.sessions }),
  });
  const name = describeAgent(session.user_agent);
  return (
    <tr>
      <td>
        {name}
        {session.current ?  <span className="chip">this browser</span> : null}
      </td>
      <td className="mono">{session.address ?? "—"}</td>
      <td>{when(session.created_at)}</td>
      <td>{when(session.last_seen_at)}</td>
      <td>
        {session.current ? null : (
          <button type="button" className="danger small" disabled={end.isPending} onClick={() => end.mutate()}>
            Sign out<span className="visually-hidden"> {name} from {session.address ?? "unknown address"}</span>
          </button>
        )}
        {end.isError ? <p className="error" role="alert">{errorMessage(end.error)}</p> : null}
      </td>
    </tr>
  );
}

export function SessionsSection() {
  const qc = useQueryClient();
  const sessions = useQuery({ queryKey: keys.sessions, queryFn: fetchSessions });
  const others = useMutation({
    mutationFn: () => endSessions(true),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.sessions }),
  });
  const everywhere = useMutation({
    mutationFn: () => endSessions(false),
    // This browser is signed out too: the next request's 401 goes back to sign-in.
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.me }),
  });
  const count = sessions.data?.length ?? 0;
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      <p className="hint">Signing out a browser there closes its open pages' live updates and notebooks at once.</p>
      {sessions.isError ? <ErrorMessage error={sessions.error} title="Sessions" onRetry={() => void sessions.refetch()} /> : null}
      {count ? (
        <div className="table-wrap">
          <table className="tokens" aria-label="Sessions">
            <thead>
              <tr>
                <th scope="col">Browser</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {sessions.data?.map((session) => (
                <SessionRow key={session.id} session={session} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="settings-actions">
        <button type="button" disabled={count < 2 || others.isPending} onClick={() => others.mutate()}>
          Sign out everywhere else
        </button>
        <button type="button" className="danger" disabled={everywhere.isPending} onClick={() => everywhere.mutate()}>
          Sign out everywhere
        </button>
      </div>
      {others.isError || everywhere.isError ? (
        <p className="error" role="alert">{errorMessage(others.error ?? everywhere.error)}</p>
      ) : null}
    </section>
  );
}
