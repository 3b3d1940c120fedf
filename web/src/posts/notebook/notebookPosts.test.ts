import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import { breadcrumbs, canRead, embedSnippet, refreshProblem, titleOf } from "./notebookPosts";

describe("a notebook as a post", () => {
  it("lists the folders on the way to a path", () => {
    expect(breadcrumbs("")).toEqual([{ name: "Files", path: "" }]);
    expect(breadcrumbs("a/b c/")).toEqual([
      { name: "Files", path: "" },
      { name: "a", path: "a" },
      { name: "b c", path: "a/b c" },
    ]);
  });

  it("reads only from a server that answers", () => {
    expect(canRead("healthy")).toBe(true);
    expect(canRead("unhealthy")).toBe(true);
    expect(canRead("starting")).toBe(false);
    expect(canRead("stopped")).toBe(false);
  });

  it("names a post after its notebook file", () => {
    expect(titleOf("work/Results.ipynb")).toBe("Results");
    expect(titleOf("plain.IPYNB")).toBe("plain");
  });

  it("writes the embed of one cell", () => {
    expect(embedSnippet(12, "a1b2")).toBe("```notebook-cell 12/a1b2\n```");
  });

  it("explains each reason an update fails", () => {
    const stale = new ApiError(409, { detail: "the post changed since version 3", field: "version", current_version: 4 });
    expect(refreshProblem(stale, true).kind).toBe("stale");
    const stopped = new ApiError(409, { detail: "the notebook server is stopped: start it first", field: null });
    expect(refreshProblem(stopped, true).kind).toBe("not-running");
    const uploaded = new ApiError(409, { detail: "this notebook was uploaded", field: null });
    expect(refreshProblem(uploaded, false).kind).toBe("no-source");
    expect(refreshProblem(new ApiError(404, { detail: "no x.ipynb" }), true).message).toMatch(/no longer at that path/);
    expect(refreshProblem(new ApiError(503, { detail: "down" }), true).message).toMatch(/did not answer/);
    expect(refreshProblem(new Error("boom"), true)).toEqual({ kind: "other", message: "Not updated: boom" });
  });
});
