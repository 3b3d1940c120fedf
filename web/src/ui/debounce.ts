/**
 * Runs a function once calls have paused for `wait` ms; with `maxWait`, also at least that often
 * while calls keep coming, so a steady stream (someone typing without a break) still gets through.
 */
export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** Runs a pending call now (nothing when none is pending). */
  flush(): void;
  /** Drops a pending call. */
  cancel(): void;
  readonly pending: boolean;
}

export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  wait: number,
  options: { maxWait?: number } = {},
): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstCallAt: number | null = null;
  let lastArgs: A | null = null;

  const run = () => {
    clearTimeout(timer);
    timer = undefined;
    firstCallAt = null;
    const args = lastArgs;
    lastArgs = null;
    if (args) fn(...args);
  };

  const debounced = ((...args: A) => {
    lastArgs = args;
    const now = Date.now();
    firstCallAt ??= now;
    let delay = wait;
    if (options.maxWait !== undefined) delay = Math.min(wait, Math.max(0, firstCallAt + options.maxWait - now));
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  }) as Debounced<A>;

  debounced.flush = () => {
    if (lastArgs) run();
  };
  debounced.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    firstCallAt = null;
    lastArgs = null;
  };
  Object.defineProperty(debounced, "pending", { get: () => lastArgs !== null });
  return debounced;
}
