import { useState } from "react";
import type { PostPublic } from "../../api/types";
import { formatWhen, isFuture, isoToSchedule, scheduleToIso } from "./schedule";
import { MOD } from "./platform";
import type { StatusChange } from "./session";

interface Props {
  post: PostPublic | null;
  busy: boolean;
  onChange: (change: StatusChange) => void;
}

/** Publish, unpublish, schedule or unlist: each saves the current text with the new status. */
export function StatusActions({ post, busy, onChange }: Props) {
  const status = post?.status ?? "draft";
  const [when, setWhen] = useState(() => isoToSchedule(post?.publish_at));
  const [error, setError] = useState("");
  const visible = status === "published" || status === "unlisted";

  const schedule = () => {
    if (!isFuture(when)) {
      setError("Pick a time in the future.");
      return;
    }
    setError("");
    onChange({ status: "scheduled", publish_at: scheduleToIso(when) });
  };

  return (
    <div className="status-actions">
      <p className="hint status-line">
        {status === "scheduled" && post?.publish_at ? `Scheduled for ${formatWhen(post.publish_at)}` : null}
        {status === "published" && post?.published_at ? `Published ${formatWhen(post.published_at)}` : null}
        {status === "unlisted" ? "Unlisted: only people with the link see it" : null}
      </p>
      <div className="row-actions">
        {status !== "published" ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => onChange({ status: "published" })}
            aria-keyshortcuts="Control+Enter Meta+Enter"
            title={`${MOD}+Enter`}
          >
            Publish
          </button>
        ) : null}
        {status !== "draft" ? (
          <button type="button" disabled={busy} onClick={() => onChange({ status: "draft", publish_at: null })}>
            {status === "scheduled" ? "Cancel schedule" : "Unpublish"}
          </button>
        ) : null}
        {visible && post ? (
          <a className="button" href={post.public_url} target="_blank" rel="noopener">
            View<span className="visually-hidden"> the public page</span> ↗
          </a>
        ) : null}
      </div>
      <details className="schedule">
        <summary>Schedule or unlist…</summary>
        <div className="inline-form">
          <div className="field">
            <label htmlFor="post-schedule">Publish at (your time)</label>
            <input
              id="post-schedule"
              type="datetime-local"
              value={when}
              onChange={(event) => setWhen(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "post-schedule-error" : undefined}
            />
          </div>
          <button type="button" disabled={busy || !when} onClick={schedule}>
            Schedule
          </button>
        </div>
        {error ? (
          <p id="post-schedule-error" className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {status !== "unlisted" ? (
          <p>
            <button type="button" disabled={busy} onClick={() => onChange({ status: "unlisted" })}>
              Publish unlisted
            </button>{" "}
            <span className="hint">Reachable by its link only: in no list, feed or sitemap.</span>
          </p>
        ) : null}
      </details>
    </div>
  );
}
