import type { NotebookOptions } from "../api/types";

/** The default image's first build (minutes), as the worker reports it. */
export function describeBuild(build: NonNullable<NotebookOptions["image_build"]>): string {
  if (build.state === "failed") return `building the default image failed${build.detail ? `: ${build.detail}` : ""}`;
  if (build.step && build.total) return `building the default image: step ${build.step} of ${build.total}`;
  return "building the default image: preparing";
}
