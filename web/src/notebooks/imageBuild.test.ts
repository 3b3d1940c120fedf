import { describe, expect, it } from "vitest";
import { describeBuild } from "./imageBuild";

describe("describeBuild", () => {
  it("names the step", () => {
    expect(describeBuild({ image: "i", state: "building", step: 3, total: 7 })).toBe(
      "building the default image: step 3 of 7",
    );
  });
  it("says when it is preparing or failed", () => {
    expect(describeBuild({ image: "i", state: "preparing" })).toBe("building the default image: preparing");
    expect(describeBuild({ image: "i", state: "failed", detail: "exit code 1" })).toBe(
      "building the default image failed: exit code 1",
    );
  });
});
