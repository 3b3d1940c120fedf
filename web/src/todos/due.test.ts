import { describe, expect, it } from "vitest";
import { dueFromInputs, dueToInputs, formatDue, isOverdue } from "./due";

const now = new Date(2024, 4, 30, 12, 0); // Thu 30 May 2024, noon local

describe("due dates", () => {
  it("says a day is overdue once it has ended", () => {
    expect(isOverdue({ due: "2024-05-29", completed: false }, now)).toBe(true);
    expect(isOverdue({ due: "2024-05-30", completed: false }, now)).toBe(false);
    expect(isOverdue({ due: "2024-05-29", completed: true }, now)).toBe(false);
    expect(isOverdue({ due: null, completed: false }, now)).toBe(false);
  });

  it("says a moment is overdue once it has passed", () => {
    expect(isOverdue({ due: new Date(2024, 4, 30, 11, 0).toISOString(), completed: false }, now)).toBe(true);
    expect(isOverdue({ due: new Date(2024, 4, 30, 13, 0).toISOString(), completed: false }, now)).toBe(false);
  });

  it("formats relative days", () => {
    expect(formatDue("2024-05-30", now)).toBe("Today");
    expect(formatDue("2024-05-31", now)).toBe("Tomorrow");
    expect(formatDue("2024-05-29", now)).toBe("Yesterday");
    expect(formatDue("2024-06-03", now)).toBe("Mon 3 Jun");
  });

  it("round-trips through the date and time inputs", () => {
    expect(dueFromInputs("", "10:00")).toBeNull();
    expect(dueFromInputs("2024-06-01", "")).toBe("2024-06-01");
    const due = dueFromInputs("2024-06-01", "09:30");
    expect(due).toMatch(/^2024-06-01T09:30:00([+-]\d{2}:\d{2}|Z)$/);
    expect(dueToInputs(due)).toEqual({ date: "2024-06-01", time: "09:30" });
    expect(dueToInputs("2024-06-01")).toEqual({ date: "2024-06-01", time: "" });
  });
});
