import { describe, expect, it } from "vitest";
import { bodyDiff, fieldChanges, resolveConflict } from "./conflict";
import type { DraftFields } from "./draft";

const base: DraftFields = { title: "Title", body: "one\ntwo\nthree", slug: "title", tags: ["a"], excerpt: "", cover: null };

describe("resolving a version conflict", () => {
  it("has nothing to ask when both sides hold the same text", () => {
    expect(resolveConflict(base, { ...base, body: "x" }, { ...base, body: "x" })).toEqual({ kind: "same" });
  });

  it("keeps mine when only the server's version moved", () => {
    const mine = { ...base, body: "mine" };
    expect(resolveConflict(base, mine, { ...base })).toEqual({ kind: "keep-mine", fields: mine });
  });

  it("takes theirs when nothing was changed here", () => {
    const theirs = { ...base, title: "New" };
    expect(resolveConflict(base, base, theirs)).toEqual({ kind: "take-theirs", fields: theirs });
  });

  it("merges changes to different fields", () => {
    const mine = { ...base, body: "my body" };
    const theirs = { ...base, tags: ["a", "b"], title: "Their title" };
    expect(resolveConflict(base, mine, theirs)).toEqual({
      kind: "merge",
      fields: { title: "Their title", body: "my body", slug: "title", tags: ["a", "b"], excerpt: "", cover: null },
    });
  });

  it("merges a cover chosen elsewhere with text typed here, and asks when both chose one", () => {
    const cover = { id: 3, url: "/blog/images/a.png" };
    const mine = { ...base, body: "mine" };
    expect(resolveConflict(base, mine, { ...base, cover })).toEqual({ kind: "merge", fields: { ...mine, cover } });
    expect(resolveConflict(base, { ...base, cover }, { ...base, cover: { id: 4, url: "/b.png" } })).toEqual({
      kind: "ask",
      fields: ["cover"],
    });
    expect(resolveConflict(base, { ...base, excerpt: "Mine." }, { ...base, excerpt: "Theirs." })).toEqual({
      kind: "ask",
      fields: ["excerpt"],
    });
  });

  it("asks when both changed the same field", () => {
    const mine = { ...base, body: "my body", tags: ["z"] };
    const theirs = { ...base, body: "their body", tags: ["z"] };
    expect(resolveConflict(base, mine, theirs)).toEqual({ kind: "ask", fields: ["body"] });
  });

  it("asks about every differing field when the starting point is unknown", () => {
    expect(resolveConflict(null, { ...base, body: "m" }, { ...base, body: "t", slug: "s" })).toEqual({
      kind: "ask",
      fields: ["body", "slug"],
    });
  });
});

describe("the conflict's diff", () => {
  it("marks the lines only one side has", () => {
    expect(bodyDiff("one\ntwo\nthree\n", "one\n2\nthree\nfour\n")).toEqual([
      { side: "both", text: "one" },
      { side: "mine", text: "two" },
      { side: "theirs", text: "2" },
      { side: "both", text: "three" },
      { side: "theirs", text: "four" },
    ]);
  });

  it("lists the other fields that differ", () => {
    expect(fieldChanges(base, { ...base, title: "T2", tags: ["a", "b"] })).toEqual([
      { field: "title", mine: "Title", theirs: "T2" },
      { field: "tags", mine: "a", theirs: "a, b" },
    ]);
  });
});
