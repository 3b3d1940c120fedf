import { describe, expect, it } from "vitest";
import { envNameProblem, envObject } from "./envRules";

describe("environment variable rules", () => {
  it("accepts shell-style names", () => {
    expect(envNameProblem("API_KEY", [{ name: "API_KEY", value: "" }])).toBeNull();
    expect(envNameProblem("_x1", [])).toBeNull();
  });

  it("explains what is wrong", () => {
    expect(envNameProblem("", [])).toMatch(/name/);
    expect(envNameProblem("1ABC", [])).toMatch(/digit/);
    expect(envNameProblem("A-B", [])).toMatch(/Letters/);
    expect(envNameProblem("jupyter_token", [])).toMatch(/reserved/);
    expect(envNameProblem("X", [{ name: "X", value: "1" }, { name: "X", value: "2" }])).toMatch(/Already/);
  });

  it("builds the env object", () => {
    expect(envObject([{ name: "A", value: "1" }, { name: "", value: "x" }])).toEqual({ A: "1" });
  });
});
