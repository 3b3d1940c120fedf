import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/errors";
import { fetchPost } from "../../api/posts";
import type { PostPublic } from "../../api/types";
import { Field } from "../../ui/Field";
import { NotebookPanel } from "../notebook/NotebookPanel";
import { PostStatusBadge } from "../StatusBadge";
import { ConflictDialog } from "./ConflictDialog";
import { CoverPicker } from "./CoverPicker";
import { ACCEPT } from "./images";
import { MarkdownEditor, type MarkdownEditorHandle } from "./MarkdownEditor";
import { PostDetails } from "./PostDetails";
import { Preview } from "./Preview";
import { RevisionsPanel } from "./RevisionsPanel";
import { SaveStatus } from "./SaveStatus";
import { MOD } from "./platform";
import { StatusActions } from "./StatusActions";
import { useEditorSession } from "./useEditorSession";
import { useImageUploads } from "./useImageUploads";

interface Props {
  post: PostPublic | null;
  /** The server's post as the live feed last saw it (newer than the editor's when changed elsewhere). */
  latest: PostPublic | undefined;
  onCreated: (id: number) => void;
}

export function PostEditor({ post, latest, onCreated }: Props) {
  const editor = useRef<MarkdownEditorHandle>(null);
  const picker = useRef<HTMLInputElement>(null);
  const helpId = useId();
  const { session, snapshot } = useEditorSession(post);
  const images = useImageUploads(editor);
  const [tab, setTab] = useState<"write" | "preview">("write");
  const [revisionsOpen, setRevisionsOpen] = useState(false);
  const { fields, server, save: saveState } = snapshot;
  const status = server?.status ?? "draft";
  const errors = saveState.kind === "failed" && saveState.error instanceof ApiError ? saveState.error.fieldErrors : {};
  const busy = saveState.kind === "saving" && snapshot.pendingStatus !== null;
  const saveNow = () => void session.saveNow();
  const publish = () => void session.changeStatus({ status: "published" });

  // The body changed other than by typing (theirs, a merge, a restore): show it in the editor.
  useEffect(() => {
    if (snapshot.bodyRevision) editor.current?.setText(snapshot.fields.body);
  }, [snapshot.bodyRevision, snapshot.fields.body]);

  // A new post got its id: the address follows.
  const createdId = post === null ? server?.id : undefined;
  const onCreatedRef = useRef(onCreated);
  useEffect(() => {
    onCreatedRef.current = onCreated;
  });
  useEffect(() => {
    if (createdId !== undefined) onCreatedRef.current(createdId);
  }, [createdId]);

  useEffect(() => {
    // Outside the Markdown body too (title, slug, tags): the body's own keymap handles its keys.
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (event.target instanceof Element && event.target.closest(".cm-editor")) return;
      if (event.key === "s" || event.key === "S") {
        event.preventDefault();
        void session.saveNow();
      } else if (event.key === "Enter") {
        event.preventDefault();
        void session.changeStatus({ status: "published" });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [session]);

  const changedElsewhere =
    latest &&
    snapshot.baseVersion !== null &&
    latest.version > snapshot.baseVersion &&
    saveState.kind !== "saving" &&
    !snapshot.conflict;

  return (
    <div className="editor-page">
      <header className="editor-header">
        <Link to="/posts" className="back-link">
          ← Posts
        </Link>
        <PostStatusBadge status={status} />
        <SaveStatus state={saveState} isNew={!server} localKept={snapshot.localKept} onRetry={saveNow} />
        <div className="editor-header-end">
          {server ? (
            <button type="button" aria-expanded={revisionsOpen} onClick={() => setRevisionsOpen((v) => !v)}>
              Revisions
            </button>
          ) : null}
          <button type="button" onClick={saveNow} aria-keyshortcuts="Control+S Meta+S" title={`${MOD}+S`}>
            Save
          </button>
        </div>
      </header>
      {snapshot.restoredAt ? (
        <p className="notice" role="status">
          Restored the unsaved text this browser kept ({new Date(snapshot.restoredAt).toLocaleString()}).
        </p>
      ) : null}
      {changedElsewhere ? (
        <div className="warning" role="alert">
          This post was changed elsewhere (version {latest.version}).{" "}
          <button type="button" className="link-button" onClick={() => session.offer(latest)}>
            {session.unsaved ? "Save mine and compare" : "Show the latest"}
          </button>
        </div>
      ) : null}
      <div className="editor-meta">
        <Field label="Title" error={errors.title} className="grow">
          <input
            value={fields.title}
            onChange={(event) => session.change({ title: event.target.value })}
            maxLength={200}
            autoComplete="off"
            placeholder="A title"
          />
        </Field>
        <PostDetails fields={fields} server={server} errors={errors} onChange={(change) => session.change(change)} />
        <CoverPicker cover={fields.cover} onChange={(cover) => session.change({ cover })} />
        <StatusActions key={`${status}-${server?.publish_at ?? ""}`} post={server} busy={busy} onChange={(c) => void session.changeStatus(c)} />
      </div>
      <div className="editor-tabs" role="group" aria-label="Show">
        <button type="button" aria-pressed={tab === "write"} onClick={() => setTab("write")}>
          Write
        </button>
        <button type="button" aria-pressed={tab === "preview"} onClick={() => setTab("preview")}>
          Preview
        </button>
      </div>
      <div className={`editor-split show-${tab}`}>
        <div className="editor-pane editor-write">
          <MarkdownEditor
            ref={editor}
            initialText={fields.body}
            label="Body (Markdown)"
            describedBy={helpId}
            onChange={(body) => session.change({ body })}
            onFiles={images.upload}
            onSave={saveNow}
            onPublish={publish}
          />
        </div>
        <Preview
          title={fields.title}
          body={fields.body}
          cover={fields.cover?.url ?? null}
          notebook={server?.notebook ? { postId: server.id, importedAt: server.notebook.imported_at } : null}
        />
      </div>
      <div className="editor-help">
        <p id={helpId} className="hint">
          <kbd>{MOD}+S</kbd> saves (it also saves by itself) · <kbd>{MOD}+Enter</kbd> publishes · paste or drop an
          image to upload it.
        </p>
        <button type="button" className="small" onClick={() => picker.current?.click()}>
          Insert image…
        </button>
        <input
          ref={picker}
          type="file"
          accept={ACCEPT}
          multiple
          hidden
          aria-label="Image to insert"
          onChange={(event) => {
            images.upload(Array.from(event.target.files ?? []), null);
            event.target.value = "";
          }}
        />
        {images.uploading ? (
          <p className="hint" role="status">
            Uploading {images.uploading} image{images.uploading === 1 ? "" : "s"}…
          </p>
        ) : null}
      </div>
      {images.problems.map((problem) => (
        <p key={problem} className="error" role="alert">
          {problem}{" "}
          <button type="button" className="link-button" onClick={images.dismiss}>
            Dismiss
          </button>
        </p>
      ))}
      {server?.notebook ? (
        <NotebookPanel
          post={server}
          notebook={server.notebook}
          beforeUpdate={async () => {
            await session.saveNow();
            return session.snapshot.baseVersion;
          }}
          onUpdated={(updated) => session.load(updated)}
          onStale={async () => session.offer(await fetchPost(server.id))}
        />
      ) : null}
      {revisionsOpen && server ? (
        <RevisionsPanel
          post={server}
          onRestored={(restored) => session.load(restored)}
          beforeRestore={async () => {
            await session.saveNow();
            return session.snapshot.baseVersion;
          }}
          onClose={() => setRevisionsOpen(false)}
        />
      ) : null}
      <ConflictDialog conflict={snapshot.conflict} onKeepMine={() => session.keepMine()} onTakeTheirs={() => session.takeTheirs()} />
    </div>
  );
}
