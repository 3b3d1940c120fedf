import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Autosave, type AutosaveState, type SaveOutcome } from "./autosave";

/** A save the test settles by hand, so overlapping changes can be arranged exactly. */
function harness(options: { delay?: number; maxWait?: number } = {}) {
  const calls: { resolve: (o: SaveOutcome) => void; reject: (e: unknown) => void }[] = [];
  const states: AutosaveState["kind"][] = [];
  const autosave = new Autosave({
    save: () =>
      new Promise<SaveOutcome>((resolve, reject) => {
        calls.push({ resolve, reject });
      }),
    onState: (s) => states.push(s.kind),
    delay: options.delay ?? 1000,
    maxWait: options.maxWait ?? 5000,
    retryDelay: (attempt) => 2000 * 2 ** attempt,
  });
  return { autosave, calls, states };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe("autosave", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("saves once typing pauses, and says when it is saved", async () => {
    const { autosave, calls, states } = harness();
    autosave.changed();
    await vi.advanceTimersByTimeAsync(500);
    autosave.changed();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(0);
    expect(autosave.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve("saved");
    await settle();
    expect(autosave.dirty).toBe(false);
    expect(states).toEqual(["pending", "pending", "saving", "saved"]);
  });

  it("saves during long typing at least every maxWait", async () => {
    const { autosave, calls } = harness({ delay: 1000, maxWait: 3000 });
    for (let i = 0; i < 10; i++) {
      autosave.changed();
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(calls).toHaveLength(1);
  });

  it("runs one save at a time and saves again what was typed during it", async () => {
    const { autosave, calls } = harness();
    autosave.changed();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    autosave.changed(); // typed while the first save is in flight
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve("saved");
    await settle();
    expect(autosave.dirty).toBe(true);
    expect(autosave.current.kind).toBe("pending");
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve("saved");
    await settle();
    expect(autosave.current.kind).toBe("saved");
    expect(autosave.dirty).toBe(false);
  });

  it("flush saves at once and waits for it", async () => {
    const { autosave, calls } = harness();
    autosave.changed();
    const done = autosave.flush();
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve("saved");
    await done;
    expect(autosave.dirty).toBe(false);
    await autosave.flush(); // nothing unsaved: no request
    expect(calls).toHaveLength(1);
  });

  it("keeps the change after a failure, says so, and retries with backoff", async () => {
    const { autosave, calls } = harness();
    autosave.changed();
    await vi.advanceTimersByTimeAsync(1000);
    calls[0]?.reject(new Error("offline"));
    await settle();
    const state = autosave.current;
    expect(state.kind).toBe("failed");
    if (state.kind === "failed") expect(state.error).toEqual(new Error("offline"));
    expect(autosave.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    calls[1]?.reject(new Error("still offline"));
    await settle();
    await vi.advanceTimersByTimeAsync(3999);
    expect(calls).toHaveLength(2); // the second wait is longer
    await vi.advanceTimersByTimeAsync(1);
    calls[2]?.resolve("saved");
    await settle();
    expect(autosave.current.kind).toBe("saved");
    expect(autosave.dirty).toBe(false);
  });

  it("tries again after a new change while failing, and still says it failed", async () => {
    const { autosave, calls } = harness();
    autosave.changed();
    await vi.advanceTimersByTimeAsync(1000);
    calls[0]?.reject(new Error("slug: taken"));
    await settle();
    autosave.changed();
    expect(autosave.current.kind).toBe("failed");
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve("saved");
    await settle();
    expect(autosave.current.kind).toBe("saved");
  });

  it("stops on a conflict until the person chose", async () => {
    const { autosave, calls } = harness();
    autosave.changed();
    await vi.advanceTimersByTimeAsync(1000);
    calls[0]?.resolve("conflict");
    await settle();
    expect(autosave.current.kind).toBe("conflict");
    autosave.changed();
    await autosave.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(autosave.dirty).toBe(true);

    autosave.resolved(true); // keep mine: saved again at once, over the newer version
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve("saved");
    await settle();
    expect(autosave.dirty).toBe(false);
  });

  it("taking the other version leaves nothing to save", async () => {
    const { autosave, calls } = harness();
    autosave.changed();
    await vi.advanceTimersByTimeAsync(1000);
    calls[0]?.resolve("conflict");
    await settle();
    autosave.resolved(false);
    expect(autosave.current.kind).toBe("clean");
    expect(autosave.dirty).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
  });

  it("reset forgets unsaved changes and a scheduled save", async () => {
    const { autosave, calls } = harness();
    autosave.changed();
    autosave.reset();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(0);
    expect(autosave.dirty).toBe(false);
  });

  it("does nothing once disposed", async () => {
    const { autosave, calls, states } = harness();
    autosave.changed();
    autosave.dispose();
    autosave.changed();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(0);
    expect(states).toEqual(["pending"]);
  });
});
