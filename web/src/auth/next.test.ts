import { describe, expect, it } from "vitest";
import { safeNext, signInPath } from "./next";

describe("next after sign-in", () => {
  it("keeps paths of this site", () => {
    expect(safeNext("/todos?list=3&q=x")).toBe("/todos?list=3&q=x");
    expect(signInPath("/todos?list=3")).toBe("/signin?next=%2Ftodos%3Flist%3D3");
  });

  it("refuses other origins and loops", () => {
    for (const bad of ["//evil.example", "https://evil.example", "/\\evil", "", null, "/signin?next=/x"]) {
      expect(safeNext(bad)).toBe("/");
    }
    expect(signInPath("/signin")).toBe("/signin");
  });
});
