import { useEffect, useRef } from "react";
import { ErrorMessage } from "../ui/ErrorMessage";
import { useLogStream } from "./useLogStream";

/** The log text, kept scrolled to the end unless the person scrolled up. */
export function LogView({ id, follow, onRetry }: { id: number; follow: boolean; onRetry: () => void }) {
  const { text, state, error } = useLogStream(id, follow);
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  return (
    <>
      <p className="hint" role="status">
        {state === "loading" ? "Loading…" : state === "following" ? "Following new lines…" : state === "ended" ? "End of log." : ""}
      </p>
      {error ? <ErrorMessage error={error} title="Logs" onRetry={onRetry} /> : null}
      <pre
        ref={pre}
        className="logs"
        tabIndex={0}
        aria-label="Log output"
        onScroll={(event) => {
          const el = event.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {text || (state === "loading" ? "" : "No log lines yet.")}
      </pre>
    </>
  );
}
