import { describe, expect, it } from "vitest";
import type { TodoPublic } from "../api/types";
import { splitToday, todayQuery } from "./today";

const now = new Date("2030-03-10T15:00:00");

function todo(id: number, due: string | null): TodoPublic {
  return {
    id, list_id: null, title: `t${id}`, notes: "", completed: false, completed_at: null, due,
    priority: "none", tags: [], order: id, version: 1, created_at: "", updated_at: "", url: "",
  } as unknown as TodoPublic;
}

describe("home: today's todos", () => {
  it("asks for open todos due by the end of today, by due date", () => {
    expect(todayQuery(now)).toEqual({ completed: false, due_before: "2030-03-10", sort: "due", limit: 50 });
  });

  it("puts overdue ones apart from today's", () => {
    const { overdue, today } = splitToday(
      [todo(1, "2030-03-09"), todo(2, "2030-03-10"), todo(3, "2030-03-10T09:00:00+00:00"), todo(4, "2030-03-10T23:00:00")],
      now,
    );
    expect(overdue.map((t) => t.id)).toEqual([1, 3]);
    expect(today.map((t) => t.id)).toEqual([2, 4]);
  });
});
