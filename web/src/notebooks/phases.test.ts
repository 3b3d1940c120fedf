import { describe, expect, it } from "vitest";
import { recordPhase, startTimeline, type Phase } from "./phases";

const states = (status: Parameters<typeof startTimeline>[0], phases: Phase[] | undefined) =>
  startTimeline(status, phases)?.map((s) => s.state);

describe("start phases", () => {
  it("records each new status once, in order", () => {
    let phases = recordPhase(undefined, "pending", 1);
    phases = recordPhase(phases, "creating", 2);
    phases = recordPhase(phases, "creating", 3);
    phases = recordPhase(phases, "starting", 4);
    phases = recordPhase(phases, "healthy", 5);
    expect(phases).toEqual([
      { status: "pending", at: 1 },
      { status: "creating", at: 2 },
      { status: "starting", at: 4 },
      { status: "healthy", at: 5 },
    ]);
  });

  it("begins a new history when a start begins again", () => {
    let phases = recordPhase(undefined, "healthy", 1);
    phases = recordPhase(phases, "stopping", 2);
    phases = recordPhase(phases, "stopped", 3);
    phases = recordPhase(phases, "starting", 4);
    expect(phases).toEqual([{ status: "starting", at: 4 }]);
  });

  it("shows where a start is", () => {
    expect(states("creating", [{ status: "pending", at: 1 }, { status: "creating", at: 2 }])).toEqual([
      "done", "current", "upcoming", "upcoming",
    ]);
    expect(states("healthy", undefined)).toEqual(["done", "done", "done", "done"]);
    expect(startTimeline("stopped", undefined)).toBeNull();
  });

  it("shows where a start failed", () => {
    expect(states("error", [{ status: "pending", at: 1 }, { status: "creating", at: 2 }])).toEqual([
      "done", "done", "failed", "upcoming",
    ]);
  });
});
