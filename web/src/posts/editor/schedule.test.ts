import { describe, expect, it } from "vitest";
import { isFuture, isoToSchedule, scheduleToIso } from "./schedule";

describe("the schedule picker", () => {
  it("turns the local time into an instant and back", () => {
    const iso = scheduleToIso("2031-05-01T09:30");
    expect(iso).not.toBeNull();
    expect(new Date(iso ?? "").getHours()).toBe(9);
    expect(isoToSchedule(iso)).toBe("2031-05-01T09:30");
  });

  it("has nothing for empty or broken values", () => {
    expect(scheduleToIso("")).toBeNull();
    expect(scheduleToIso("tomorrow")).toBeNull();
    expect(isoToSchedule(null)).toBe("");
    expect(isoToSchedule("nope")).toBe("");
  });

  it("knows a past time from a future one", () => {
    const now = new Date("2030-01-01T12:00:00");
    expect(isFuture("2030-01-01T12:01", now)).toBe(true);
    expect(isFuture("2030-01-01T11:59", now)).toBe(false);
    expect(isFuture("", now)).toBe(false);
  });
});
