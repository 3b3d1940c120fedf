import { describe, expect, it, vi } from "vitest";
import { applyServerErrors } from "../ui/serverErrors";
import { ApiError, errorMessage } from "./errors";
import { readCookie } from "./http";

const problems = (...items: [string[], string][]) => ({
  detail: items.map(([loc, msg]) => ({ loc, msg, type: "value_error" })),
});

describe("api errors", () => {
  it("reads FastAPI's plain detail", () => {
    expect(new ApiError(409, { detail: "a list with this name exists" }).message).toBe("a list with this name exists");
    expect(new ApiError(500, "boom").message).toBe("boom");
    expect(new ApiError(0, new TypeError("Failed to fetch")).message).toMatch(/cannot reach the server/);
    expect(new ApiError(502, "<html>" + "x".repeat(400)).message).toBe("request failed (HTTP 502)");
  });

  it("maps 422 problems to their fields", () => {
    const error = new ApiError(422, problems([["body", "title"], "too long"], [["query", "due_before"], "bad date"], [["body"], "extra"]));
    expect(error.fieldErrors).toEqual({ title: "too long", due_before: "bad date" });
    expect(error.message).toBe("title: too long; due_before: bad date; extra");
    expect(errorMessage(error)).toBe(error.message);
  });

  it("puts 422 messages next to the form's fields, the rest on the form", () => {
    const setError = vi.fn();
    const error = new ApiError(
      422,
      problems([["body", "due"], "not a date"], [["body", "env"], "'JUPYTER_X' is reserved"], [["body", "color"], "bad colour"]),
    );
    const rest = applyServerErrors(error, setError, ["date", "root.env"], { due: "date", env: "root.env" });
    expect(setError).toHaveBeenCalledWith("date", { type: "server", message: "not a date" }, { shouldFocus: true });
    expect(setError).toHaveBeenCalledWith("root.env", { type: "server", message: "'JUPYTER_X' is reserved" }, { shouldFocus: true });
    expect(rest).toBe("color: bad colour");
    expect(applyServerErrors(new ApiError(409, { detail: "name taken" }), setError, [])).toBe("name taken");
    const taken = new ApiError(409, { detail: "a notebook named lab exists", field: "name" });
    expect(taken.fieldErrors).toEqual({ name: "a notebook named lab exists" });
    expect(applyServerErrors(taken, setError, ["name"])).toBeNull();
    expect(setError).toHaveBeenLastCalledWith("name", { type: "server", message: "a notebook named lab exists" }, { shouldFocus: true });
  });
});

describe("cookies", () => {
  it("finds the CSRF cookie among others", () => {
    expect(readCookie("workspace_csrf", "a=1; workspace_csrf=abc%3D%3D; b=2")).toBe("abc==");
    expect(readCookie("workspace_csrf", "a=1")).toBe("");
  });
});
