/** Reconnect delays: exponential from `base`, capped at `cap`, with some jitter. */
export function backoffDelay(attempt: number, base = 500, cap = 10_000, random = Math.random): number {
  const exp = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
