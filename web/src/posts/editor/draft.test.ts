import { describe, expect, it } from "vitest";
import { changedFields, fieldsOf, isBlank, parseTags, sameDraft, type DraftFields } from "./draft";

const base: DraftFields = { title: "Hello", body: "text", slug: "hello", tags: ["a", "b"], excerpt: "", cover: null };

describe("the editor's draft", () => {
  it("sends only the fields that changed", () => {
    expect(changedFields(base, base)).toEqual({});
    expect(changedFields(base, { ...base, body: "more text" })).toEqual({ body: "more text" });
    expect(changedFields(base, { ...base, tags: ["b", "a"], slug: "hi" })).toEqual({ tags: ["b", "a"], slug: "hi" });
  });

  it("sends the excerpt (empty: null, derived) and the cover by id", () => {
    const cover = { id: 4, url: "/blog/images/k.png" };
    expect(changedFields(base, { ...base, excerpt: "  Short.  " })).toEqual({ excerpt: "Short." });
    expect(changedFields({ ...base, excerpt: "Short." }, { ...base, excerpt: " " })).toEqual({ excerpt: null });
    expect(changedFields(base, { ...base, cover })).toEqual({ cover_image_id: 4 });
    expect(changedFields({ ...base, cover }, base)).toEqual({ cover_image_id: null });
    // Another URL for the same image (none today) is no change.
    expect(sameDraft({ ...base, cover }, { ...base, cover: { id: 4, url: "/other" } })).toBe(true);
  });

  it("reads excerpt and cover from a post", () => {
    const post = { title: "T", body: "b", slug: "t", tags: [], excerpt: null, cover_image_id: 2, cover_image_url: "/c.png" };
    expect(fieldsOf(post)).toEqual({ title: "T", body: "b", slug: "t", tags: [], excerpt: "", cover: { id: 2, url: "/c.png" } });
    expect(fieldsOf({ ...post, excerpt: "E", cover_image_id: null, cover_image_url: null })).toMatchObject({ excerpt: "E", cover: null });
  });

  it("compares tags in order", () => {
    expect(sameDraft(base, { ...base, tags: ["a", "b"] })).toBe(true);
    expect(sameDraft(base, { ...base, tags: ["a"] })).toBe(false);
  });

  it("is blank with neither title nor body", () => {
    expect(isBlank({ ...base, title: " ", body: "\n", slug: "x", tags: ["t"] })).toBe(true);
    expect(isBlank({ ...base, title: "" })).toBe(false);
  });

  it("parses tags typed with commas", () => {
    expect(parseTags("python, Web  dev,, python ,PYTHON,")).toEqual(["python", "Web dev"]);
    expect(parseTags("")).toEqual([]);
  });
});
