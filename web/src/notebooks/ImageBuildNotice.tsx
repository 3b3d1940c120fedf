import type { NotebookOptions } from "../api/types";
import { describeBuild } from "./imageBuild";

export function ImageBuildNotice({ options }: { options: NotebookOptions }) {
  const build = options.image_build;
  if (!build) return null;
  return (
    <div className={`card ${build.state === "failed" ? "warning-card" : "notice"}`} role="status">
      <p>
        <strong>{describeBuild(build)}</strong>
      </p>
      <p className="hint">
        {build.image}
        {build.detail && build.state !== "failed" ? ` — ${build.detail}` : ""}. New notebooks can start once it is
        built.
      </p>
    </div>
  );
}
