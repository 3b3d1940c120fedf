import { format } from "date-fns";
import type { NotebookStatus } from "../api/types";
import { startTimeline, type Phase } from "./phases";

/** pending → creating → starting → healthy, each step lit as it happens, with its time. */
export function StartTimeline({ status, phases }: { status: NotebookStatus; phases: Phase[] | undefined }) {
  const steps = startTimeline(status, phases);
  if (!steps) return null;
  const first = phases?.[0]?.at;
  return (
    <ol className="timeline" aria-label="Start progress">
      {steps.map(({ step, state, at }) => (
        <li key={step} className={`step step-${state}`} aria-current={state === "current" ? "step" : undefined}>
          <span className="step-dot" aria-hidden="true" />
          <span className="step-name">{step}</span>
          {at !== null ? (
            <time className="step-time" dateTime={new Date(at).toISOString()} title={format(at, "HH:mm:ss")}>
              {first !== undefined && at > first ? `+${((at - first) / 1000).toFixed(1)}s` : format(at, "HH:mm:ss")}
            </time>
          ) : null}
          <span className="visually-hidden">
            {state === "done" ? " (done)" : state === "current" ? " (in progress)" : state === "failed" ? " (failed)" : ""}
          </span>
        </li>
      ))}
    </ol>
  );
}
