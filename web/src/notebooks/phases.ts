/** The phases of a notebook's start as this page saw them happen (pending → … → healthy). */
import type { NotebookStatus } from "../api/types";

export const START_STEPS = ["pending", "creating", "starting", "healthy"] as const;
export type StartStep = (typeof START_STEPS)[number];

export interface Phase {
  status: NotebookStatus;
  at: number;
}

export type PhaseHistory = Record<number, Phase[]>;

const MAX_PHASES = 20;

function stepIndex(status: NotebookStatus): number {
  return (START_STEPS as readonly string[]).indexOf(status);
}

/**
 * Appends a status to a notebook's history. A status that begins a start (pending, creating
 * or starting, not reached by going forward from an earlier start step) starts a new history.
 */
export function recordPhase(phases: Phase[] | undefined, status: NotebookStatus, at: number): Phase[] {
  const history = phases ?? [];
  const last = history.at(-1);
  if (last?.status === status) return history;
  const index = stepIndex(status);
  const lastIndex = last ? stepIndex(last.status) : -1;
  const beginsStart = index >= 0 && index < 3 && !(lastIndex >= 0 && lastIndex < index);
  if (beginsStart) return [{ status, at }];
  return [...history, { status, at }].slice(-MAX_PHASES);
}

export type StepState = "done" | "current" | "failed" | "upcoming";

export interface TimelineStep {
  step: StartStep;
  state: StepState;
  at: number | null;
}

/** The start timeline for the current status, or null when the notebook is not starting/started. */
export function startTimeline(status: NotebookStatus, phases: Phase[] | undefined): TimelineStep[] | null {
  const history = phases ?? [];
  const reached = Math.max(-1, ...history.map((p) => stepIndex(p.status)));
  let current = stepIndex(status);
  let failed = false;
  if (current < 0) {
    if ((status === "error" || status === "unhealthy") && reached >= 0) {
      current = Math.min(reached + 1, 3);
      failed = true;
    } else {
      return null;
    }
  }
  const seen = new Map<string, number>();
  for (const p of history) seen.set(p.status, p.at);
  return START_STEPS.map((step, i) => {
    let state: StepState = "upcoming";
    if (i < current || (i === current && step === "healthy" && !failed)) state = "done";
    else if (i === current) state = failed ? "failed" : "current";
    return { step, state, at: seen.get(step) ?? null };
  });
}
