import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("reconnect backoff", () => {
  it("doubles from the base and caps at ten seconds", () => {
    const max = (attempt: number) => backoffDelay(attempt, 500, 10_000, () => 1);
    expect([0, 1, 2, 3, 4, 5, 10].map(max)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("jitters between half and all of the delay", () => {
    expect(backoffDelay(3, 500, 10_000, () => 0)).toBe(2000);
  });
});
