/**
 * When the editor saves: after a pause in typing (and at least every `maxWait` while typing goes
 * on), at once on request (Ctrl-S), one save at a time, and again when changes arrived during a
 * save. A failed save is retried with backoff; a version conflict stops saving until the person
 * has chosen what to keep. The caller's `save` reads the current draft itself, so a save always
 * sends the newest text; the scheduler only counts changes to know whether that text is saved.
 */
import { backoffDelay } from "../../live/backoff";

export type SaveOutcome = "saved" | "conflict";

export type AutosaveState =
  | { kind: "clean" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: number }
  | { kind: "failed"; error: unknown; retryAt: number; attempt: number }
  | { kind: "conflict" };

export interface AutosaveOptions {
  /** Saves the current draft; resolves "conflict" on a stale version, rejects when it failed. */
  save: () => Promise<SaveOutcome>;
  onState: (state: AutosaveState) => void;
  /** Quiet time before a save. */
  delay?: number;
  /** The longest stretch of typing without a save. */
  maxWait?: number;
  retryDelay?: (attempt: number) => number;
}

export class Autosave {
  private readonly options: Required<AutosaveOptions>;
  private changes = 0;
  private savedChanges = 0;
  private firstUnsavedAt: number | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private attempt = 0;
  private state: AutosaveState = { kind: "clean" };
  private disposed = false;

  constructor(options: AutosaveOptions) {
    this.options = {
      delay: 1200,
      maxWait: 8000,
      retryDelay: (attempt) => backoffDelay(attempt, 1000, 30_000),
      ...options,
    };
  }

  get current(): AutosaveState {
    return this.state;
  }

  /** Whether something typed is not on the server yet. */
  get dirty(): boolean {
    return this.changes !== this.savedChanges;
  }

  /** The draft changed: save it soon. */
  changed(): void {
    if (this.disposed) return;
    this.changes++;
    const now = Date.now();
    this.firstUnsavedAt ??= now;
    if (this.state.kind === "conflict") return; // kept here until the person chose
    // After a failure the state keeps saying so until a save works; a new change is a new
    // reason to try (the text may now be valid, or the network back), after the usual pause.
    if (this.state.kind !== "saving" && this.state.kind !== "failed") this.setState({ kind: "pending" });
    if (this.running) return; // the save in flight is followed by another
    const wait = Math.min(this.options.delay, Math.max(0, this.firstUnsavedAt + this.options.maxWait - now));
    this.arm(wait);
  }

  /** Saves now (Ctrl-S, before publishing, leaving the page): resolves once nothing is unsaved
   * or a save could not be made (then `current` says why). */
  async flush(): Promise<void> {
    if (this.disposed || this.state.kind === "conflict") return;
    this.disarm();
    if (this.running) await this.running;
    // The save awaited above may have ended in a conflict.
    if (this.dirty && this.current.kind !== "conflict") await this.run();
  }

  /** The conflict was settled: `kept` says whether the editor still holds unsaved text. */
  resolved(kept: boolean): void {
    if (!kept) this.savedChanges = this.changes;
    this.attempt = 0;
    this.setState(this.dirty ? { kind: "pending" } : { kind: "clean" });
    if (this.dirty) this.arm(0);
  }

  /** The editor now shows what the server has (a reload from it): nothing is unsaved. */
  reset(): void {
    this.disarm();
    this.savedChanges = this.changes;
    this.firstUnsavedAt = null;
    this.attempt = 0;
    this.setState({ kind: "clean" });
  }

  dispose(): void {
    this.disposed = true;
    this.disarm();
  }

  private arm(wait: number): void {
    this.disarm();
    this.timer = setTimeout(() => void this.run(), wait);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): Promise<void> {
    this.disarm();
    if (this.running) return this.running;
    const running = this.saveOnce().finally(() => {
      if (this.running === running) this.running = null;
    });
    this.running = running;
    return running;
  }

  private async saveOnce(): Promise<void> {
    const sending = this.changes;
    this.setState({ kind: "saving" });
    let outcome: SaveOutcome;
    try {
      outcome = await this.options.save();
    } catch (error) {
      if (this.disposed) return;
      const wait = this.options.retryDelay(this.attempt);
      this.attempt++;
      this.setState({ kind: "failed", error, retryAt: Date.now() + wait, attempt: this.attempt });
      this.timer = setTimeout(() => void this.run(), wait);
      return;
    }
    if (this.disposed) return;
    this.attempt = 0;
    if (outcome === "conflict") {
      this.setState({ kind: "conflict" });
      return;
    }
    this.savedChanges = sending;
    if (this.dirty) {
      // Typed during the save: that text goes in the next one, on the usual schedule.
      this.firstUnsavedAt = Date.now();
      this.setState({ kind: "pending" });
      this.timer = setTimeout(() => void this.run(), this.options.delay);
    } else {
      this.firstUnsavedAt = null;
      this.setState({ kind: "saved", at: Date.now() });
    }
  }

  private setState(state: AutosaveState): void {
    this.state = state;
    if (!this.disposed) this.options.onState(state);
  }
}
