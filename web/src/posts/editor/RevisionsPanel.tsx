import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { isVersionConflict } from "../../api/posts";
import type { PostPublic } from "../../api/types";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { useRestoreRevision, useRevision, useRevisions } from "../queries";
import { formatWhen } from "./schedule";

interface Props {
  post: PostPublic;
  /** Saves what is typed first: a restore is a new save on top of it, so nothing is lost.
   * Gives the version saved, which the restore replaces. */
  beforeRestore: () => Promise<number | null>;
  onRestored: (post: PostPublic) => void;
  onClose: () => void;
}

function diffClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---")) return "diff-head";
  if (line.startsWith("@@")) return "diff-hunk";
  if (line.startsWith("+")) return "diff-theirs";
  if (line.startsWith("-")) return "diff-mine";
  return "diff-both";
}

function RevisionDiff({ post, version }: { post: PostPublic; version: number }) {
  const revision = useRevision(post.id, version);
  if (revision.isPending) return <p role="status">Loading the diff…</p>;
  if (revision.isError) return <ErrorMessage error={revision.error} title="Diff" onRetry={() => void revision.refetch()} />;
  const lines = revision.data.diff.replace(/\n$/, "").split("\n");
  return revision.data.diff ? (
    <pre className="diff" aria-label={`Changes from version ${version} to the current text`}>
      {lines.map((line, i) => (
        <span key={i} className={diffClass(line)}>
          {line}
          {"\n"}
        </span>
      ))}
    </pre>
  ) : (
    <p className="hint">Its body is the same as the current one.</p>
  );
}

/** Every saved version, newest first: its diff to the current text, and restore. */
export function RevisionsPanel({ post, beforeRestore, onRestored, onClose }: Props) {
  const revisions = useRevisions(post.id);
  const restore = useRestoreRevision(post.id);
  const [open, setOpen] = useState<number | null>(null);

  return (
    <section className="card revisions" aria-labelledby="revisions-title">
      <header className="home-section-header">
        <h2 id="revisions-title">Revisions</h2>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </header>
      {revisions.isError ? <ErrorMessage error={revisions.error} title="Revisions" onRetry={() => void revisions.refetch()} /> : null}
      {revisions.isPending ? <p role="status">Loading revisions…</p> : null}
      {restore.isError ? (
        <p className="error" role="alert">
          {isVersionConflict(restore.error)
            ? "Not restored: the post was saved elsewhere meanwhile. Look at the latest version, then restore again if you still want to."
            : `Could not restore: ${errorMessage(restore.error)}`}
        </p>
      ) : null}
      <ol className="revision-list" aria-label="Revisions">
        {revisions.data?.data.map((rev) => (
          <li key={rev.version} className="revision">
            <div className="revision-row">
              <span>
                <strong>Version {rev.version}</strong>
                {rev.version === post.version ? " (current)" : ""} · {formatWhen(rev.created_at)} · {rev.title}
              </span>
              <span className="row-actions">
                <button
                  type="button"
                  className="small"
                  aria-expanded={open === rev.version}
                  onClick={() => setOpen((v) => (v === rev.version ? null : rev.version))}
                >
                  Diff<span className="visually-hidden"> of version {rev.version}</span>
                </button>
                {rev.version !== post.version ? (
                  <button
                    type="button"
                    className="small"
                    disabled={restore.isPending}
                    onClick={async () => {
                      const over = await beforeRestore();
                      if (over !== null) restore.mutate({ version: rev.version, over }, { onSuccess: onRestored });
                    }}
                  >
                    Restore<span className="visually-hidden"> version {rev.version}</span>
                  </button>
                ) : null}
              </span>
            </div>
            {open === rev.version ? <RevisionDiff post={post} version={rev.version} /> : null}
          </li>
        ))}
      </ol>
      {revisions.data && revisions.data.data.length < revisions.data.count ? (
        <p className="hint">The {revisions.data.data.length} newest of {revisions.data.count} revisions.</p>
      ) : null}
    </section>
  );
}
