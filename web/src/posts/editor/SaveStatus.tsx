import { format } from "date-fns";
import { useEffect, useState } from "react";
import { errorMessage } from "../../api/errors";
import type { AutosaveState } from "./autosave";
import { NeedsTitle } from "./session";

interface Props {
  state: AutosaveState;
  isNew: boolean;
  localKept: boolean;
  onRetry: () => void;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Whether what is typed is saved; when it is not, why, and that the browser keeps a copy. */
export function SaveStatus({ state, isNew, localKept, onRetry }: Props) {
  const now = useNow(state.kind === "failed");
  const kept = localKept
    ? "Your text is kept in this browser."
    : "This browser could not keep a copy either: do not close this tab.";
  let text: string;
  let tone = "";
  switch (state.kind) {
    case "clean":
      text = isNew ? "Not saved yet" : "All changes saved";
      break;
    case "pending":
      text = "Unsaved changes…";
      break;
    case "saving":
      text = "Saving…";
      break;
    case "saved":
      text = `Saved at ${format(state.at, "HH:mm:ss")}`;
      tone = "ok";
      break;
    case "conflict":
      text = "Changed elsewhere: choose which version to keep.";
      tone = "warning";
      break;
    case "failed": {
      tone = "error";
      const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      text =
        state.error instanceof NeedsTitle
          ? `Not saved: give the post a title. ${kept}`
          : `Not saved: ${errorMessage(state.error)}. ${kept} ${seconds ? `Retrying in ${seconds}s.` : "Retrying…"}`;
      break;
    }
  }
  return (
    <p className={`save-status ${tone}`} role="status" aria-live="polite" data-state={state.kind}>
      <span>{text}</span>
      {state.kind === "failed" && !(state.error instanceof NeedsTitle) ? (
        <button type="button" className="link-button" onClick={onRetry}>
          Retry now
        </button>
      ) : null}
    </p>
  );
}
