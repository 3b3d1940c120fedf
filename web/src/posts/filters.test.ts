import { describe, expect, it } from "vitest";
import { postFiltersFromSearch, postFiltersToSearch, toPostQuery } from "./filters";

describe("post filters in the URL", () => {
  it("round-trips and leaves defaults out", () => {
    const filters = postFiltersFromSearch(new URLSearchParams("status=draft&q=%20cats%20"));
    expect(filters).toEqual({ status: "draft", q: "cats" });
    expect(postFiltersToSearch(filters).toString()).toBe("status=draft&q=cats");
    expect(postFiltersToSearch({ status: "all", q: " " }).toString()).toBe("");
  });

  it("falls back to all for an unknown status", () => {
    expect(postFiltersFromSearch(new URLSearchParams("status=deleted")).status).toBe("all");
  });

  it("becomes the api's query", () => {
    expect(toPostQuery({ status: "all", q: "" })).toEqual({ limit: 100 });
    expect(toPostQuery({ status: "scheduled", q: "x" })).toEqual({ status: "scheduled", q: "x", limit: 100 });
  });
});
