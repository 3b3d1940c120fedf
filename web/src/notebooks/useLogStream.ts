/**
 * Follows a notebook's logs: `fetch` + ReadableStream, text appended as chunks arrive.
 * Mount it under a key of (id, follow, attempt) to start over.
 */
import { useEffect, useState } from "react";
import { ApiError } from "../api/errors";
import { signalUnauthorized } from "../api/http";
import { logsUrl } from "../api/notebooks";

const MAX_CHARS = 500_000;

export type StreamState = "loading" | "following" | "ended" | "error";

export function useLogStream(id: number, follow: boolean) {
  const [text, setText] = useState("");
  const [state, setState] = useState<StreamState>("loading");
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    const read = async () => {
      const response = await fetch(logsUrl(id, follow), { credentials: "same-origin", signal: abort.signal });
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => null);
        if (response.status === 401) signalUnauthorized();
        throw new ApiError(response.status, body);
      }
      if (!response.body) throw new Error("this browser cannot read streamed responses");
      setState(follow ? "following" : "ended");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        setText((previous) => (previous + value).slice(-MAX_CHARS));
      }
      setState("ended");
    };
    read().catch((err: unknown) => {
      if (abort.signal.aborted) return;
      setError(err);
      setState("error");
    });
    return () => abort.abort();
  }, [id, follow]);

  return { text, state, error };
}
