import { describe, expect, it } from "vitest";
import { changedFields, isBlank, parseTags, sameDraft, type DraftFields } from "./draft";

const base: DraftFields = { title: "Hello", body: "text", slug: "hello", tags: ["a", "b"] };

describe("the editor's draft", () => {
  it("sends only the fields that changed", () => {
    expect(changedFields(base, base)).toEqual({});
    expect(changedFields(base, { ...base, body: "more text" })).toEqual({ body: "more text" });
    expect(changedFields(base, { ...base, tags: ["b", "a"], slug: "hi" })).toEqual({ tags: ["b", "a"], slug: "hi" });
  });

  it("compares tags in order", () => {
    expect(sameDraft(base, { ...base, tags: ["a", "b"] })).toBe(true);
    expect(sameDraft(base, { ...base, tags: ["a"] })).toBe(false);
  });

  it("is blank with neither title nor body", () => {
    expect(isBlank({ title: " ", body: "\n", slug: "x", tags: ["t"] })).toBe(true);
    expect(isBlank({ ...base, title: "" })).toBe(false);
  });

  it("parses tags typed with commas", () => {
    expect(parseTags("python, Web  dev,, python ,PYTHON,")).toEqual(["python", "Web dev"]);
    expect(parseTags("")).toEqual([]);
  });
});
