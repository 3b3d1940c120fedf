import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { fetchMe } from "../api/auth";
import { keys } from "../api/keys";
import { eventsUrl, LiveConnection, type LiveStatus } from "./connection";
import { applyMessage } from "./merge";
import { LiveStatusContext } from "./status";

/** Holds the live feed while someone is signed in, and merges it into the query cache. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>({ state: "connecting" });

  useEffect(() => {
    // Several events in a burst (a drag, a bulk delete) cause one refetch per query, not many.
    const pending = new Map<string, QueryKey>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
      pending.clear();
    };
    const invalidate = (queryKeys: QueryKey[]) => {
      for (const key of queryKeys) pending.set(JSON.stringify(key), key);
      if (pending.size && flushTimer === undefined) flushTimer = setTimeout(flush, 30);
    };

    const connection = new LiveConnection({
      url: eventsUrl(),
      onMessage: (message) => invalidate(applyMessage(queryClient, message)),
      onStatus: setStatus,
      // Todo and post changes made while we were offline are not in the snapshot: refetch them.
      onOpen: (first) => {
        if (!first) invalidate([keys.todos, keys.lists, keys.tags, keys.posts]);
      },
      // Refused before opening: maybe the session ended. A 401 here sends the person to sign
      // in (the client's 401 handler); any other failure shows as "offline" and is retried.
      onRefused: () => {
        fetchMe().catch(() => undefined);
      },
    });
    connection.start();
    const online = () => connection.retryNow();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      clearTimeout(flushTimer);
      connection.stop();
    };
  }, [queryClient]);

  return <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>;
}
