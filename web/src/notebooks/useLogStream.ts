/**
 * Follows a notebook's logs: a streamed response (ReadableStream), text appended as chunks arrive.
 * Mount it under a key of (id, follow, attempt) to start over.
 */
import { useEffect, useState } from "react";
import { streamLogs } from "../api/notebooks";

const MAX_CHARS = 500_000;

export type StreamState = "loading" | "following" | "ended" | "error";

export function useLogStream(id: number, follow: boolean) {
  const [text, setText] = useState("");
  const [state, setState] = useState<StreamState>("loading");
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    const read = async () => {
      const stream = await streamLogs(id, follow, abort.signal);
      setState(follow ? "following" : "ended");
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        setText((previous) => (previous + chunk).slice(-MAX_CHARS));
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
