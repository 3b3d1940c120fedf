import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce } from "./debounce";

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once, with the last arguments, after calls pause", () => {
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d("a");
    vi.advanceTimersByTime(200);
    d("b");
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    expect(d.pending).toBe(true);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith("b");
    expect(d.pending).toBe(false);
  });

  it("with maxWait, runs during a steady stream of calls", () => {
    const fn = vi.fn();
    const d = debounce(fn, 300, { maxWait: 1000 });
    for (let i = 0; i < 12; i++) {
      d(i);
      vi.advanceTimersByTime(100);
    }
    // 1,200 ms of calls 100 ms apart: the quiet time never came, maxWait did.
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith(9);
    vi.advanceTimersByTime(300);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(fn).toHaveBeenLastCalledWith(11);
  });

  it("flush runs a pending call at once; cancel drops it", () => {
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d.flush();
    expect(fn).not.toHaveBeenCalled();
    d("now");
    d.flush();
    expect(fn).toHaveBeenCalledWith("now");
    d("never");
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
