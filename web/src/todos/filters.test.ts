import { describe, expect, it } from "vitest";
import {
  DEFAULT_FILTERS,
  canReorder,
  filtersFromSearch,
  filtersToSearch,
  toApiQuery,
  type TodoFilters,
} from "./filters";

const parse = (qs: string) => filtersFromSearch(new URLSearchParams(qs));

describe("filters in the URL", () => {
  it("uses the defaults for an empty query string", () => {
    expect(parse("")).toEqual(DEFAULT_FILTERS);
    expect(filtersToSearch(DEFAULT_FILTERS).toString()).toBe("");
  });

  it("reads every filter", () => {
    expect(parse("list=7&q=milk&tag=home&tag=urgent&show=open&due=overdue&sort=-due")).toEqual({
      list: 7,
      q: "milk",
      tags: ["home", "urgent"],
      show: "open",
      due: "overdue",
      sort: "-due",
    });
  });

  it("round-trips through the URL", () => {
    const filters: TodoFilters = {
      list: "all",
      q: "a b&c",
      tags: ["x y", "z"],
      show: "done",
      due: "week",
      sort: "title",
    };
    expect(filtersFromSearch(filtersToSearch(filters))).toEqual(filters);
    expect(filtersToSearch(filters).toString()).toBe(
      "list=all&q=a+b%26c&tag=x+y&tag=z&show=done&due=week&sort=title",
    );
  });

  it("falls back to defaults on malformed values", () => {
    expect(parse("list=-3&show=maybe&due=yesterday&sort=colour&tag=&tag=a&tag=a")).toEqual({
      ...DEFAULT_FILTERS,
      tags: ["a"],
    });
    expect(parse("list=0").list).toBe("inbox");
    expect(parse("list=abc").list).toBe("inbox");
  });

  it("leaves defaults out of the URL", () => {
    expect(filtersToSearch({ ...DEFAULT_FILTERS, q: "  " }).toString()).toBe("");
  });
});

describe("API query", () => {
  const today = new Date(2024, 4, 30);

  it("maps filters to GET /api/todos parameters", () => {
    expect(toApiQuery(parse("list=3&show=open&tag=a&due=week&q=x&sort=-priority"), today)).toEqual({
      list_id: 3,
      completed: false,
      tag: ["a"],
      due_before: "2024-06-06",
      q: "x",
      sort: "-priority",
      limit: 200,
    });
  });

  it("asks for the inbox by default and everything for list=all", () => {
    expect(toApiQuery(DEFAULT_FILTERS, today)).toEqual({ list_id: "inbox", sort: "order", limit: 200 });
    expect(toApiQuery(parse("list=all&due=overdue&show=done"), today)).toEqual({
      completed: true,
      overdue: true,
      sort: "order",
      limit: 200,
    });
  });
});

describe("reordering", () => {
  it("is possible in one list shown whole in manual order", () => {
    expect(canReorder(DEFAULT_FILTERS)).toBe(true);
    expect(canReorder(parse("list=4"))).toBe(true);
  });

  it("is not possible across lists, when filtered or sorted otherwise", () => {
    expect(canReorder(parse("list=all"))).toBe(false);
    expect(canReorder(parse("q=x"))).toBe(false);
    expect(canReorder(parse("show=open"))).toBe(false);
    expect(canReorder(parse("sort=due"))).toBe(false);
  });
});
