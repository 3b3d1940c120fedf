import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import "../posts.css";
import { Link, useNavigate } from "react-router";
import { errorMessage } from "../../api/errors";
import { keys } from "../../api/keys";
import { fetchNotebookFiles, importNotebook, uploadNotebook } from "../../api/posts";
import type { NotebookPublic, PostPublic } from "../../api/types";
import { useNotebooks } from "../../notebooks/queries";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { Field } from "../../ui/Field";
import { breadcrumbs, canRead, titleOf } from "./notebookPosts";

function FileBrowser({ server, chosen, onChoose }: { server: NotebookPublic; chosen: string; onChoose: (path: string) => void }) {
  const [folder, setFolder] = useState("");
  const files = useQuery({
    queryKey: keys.notebookFiles(server.id, folder),
    queryFn: () => fetchNotebookFiles(server.id, folder),
  });
  return (
    <div className="file-browser">
      <nav aria-label="Folder">
        {breadcrumbs(folder).map((crumb, i, all) => (
          <span key={crumb.path}>
            {i === all.length - 1 ? (
              <strong>{crumb.name}</strong>
            ) : (
              <button type="button" className="link-button" onClick={() => setFolder(crumb.path)}>
                {crumb.name}
              </button>
            )}
            {i < all.length - 1 ? " / " : ""}
          </span>
        ))}
      </nav>
      {files.isPending ? <p role="status">Reading the folder…</p> : null}
      {files.isError ? <ErrorMessage error={files.error} title="Files" onRetry={() => void files.refetch()} /> : null}
      {files.isSuccess && files.data.data.length === 0 ? <p className="hint">No folders or notebooks here.</p> : null}
      {files.data?.data.length ? (
        <ul className="file-list" aria-label="Files">
          {files.data.data.map((file) =>
            file.type === "directory" ? (
              <li key={file.path}>
                <button type="button" className="link-button" onClick={() => setFolder(file.path)}>
                  📁 {file.name}/
                </button>
              </li>
            ) : (
              <li key={file.path}>
                <label>
                  <input type="radio" name="notebook-file" checked={chosen === file.path} onChange={() => onChoose(file.path)} />{" "}
                  {file.name}
                </label>
              </li>
            ),
          )}
        </ul>
      ) : null}
    </div>
  );
}

/** "New from notebook": a draft post from an .ipynb of a running notebook server, or uploaded. */
export function NotebookImportPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const notebooks = useNotebooks();
  const running = (notebooks.data?.data ?? []).filter((n) => canRead(n.status));
  const [serverId, setServerId] = useState<number | null>(null);
  const server = running.find((n) => n.id === serverId) ?? null;
  const [path, setPath] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [showInput, setShowInput] = useState(true);
  const [title, setTitle] = useState("");
  const done = (post: PostPublic) => {
    qc.setQueryData(keys.post(post.id), post);
    void qc.invalidateQueries({ queryKey: keys.posts });
    void navigate(`/posts/${post.id}`);
  };
  const fromServer = useMutation({
    mutationFn: () =>
      importNotebook({ notebook_id: serverId ?? 0, path, show_input: showInput, ...(title.trim() ? { title: title.trim() } : {}) }),
    onSuccess: done,
  });
  const fromFile = useMutation({
    mutationFn: (chosen: File) => uploadNotebook(chosen, showInput, title.trim() || undefined),
    onSuccess: done,
  });
  const busy = fromServer.isPending || fromFile.isPending;
  const failed = fromServer.error ?? fromFile.error;

  return (
    <section className="page notebook-import" aria-labelledby="import-title">
      <header className="page-header">
        <Link to="/posts" className="back-link">
          ← Posts
        </Link>
        <h1 id="import-title">New post from a notebook</h1>
      </header>
      <p className="hint">
        The notebook is converted once, sanitized and frozen into a new draft; its output images become post images. Script
        and widget outputs are dropped. A post from a server can be updated from it later.
      </p>
      <div className="card">
        <label>
          <input type="checkbox" checked={showInput} onChange={(event) => setShowInput(event.target.checked)} /> Show code cells
          (off: only Markdown cells and outputs)
        </label>
        <Field label="Title" hint={`Default: the file's name${path ? ` (“${titleOf(path)}”)` : ""}.`}>
          <input value={title} onChange={(event) => setTitle(event.target.value)} maxLength={200} autoComplete="off" />
        </Field>
      </div>
      <section className="card" aria-labelledby="from-server-title">
        <h2 id="from-server-title">From a running notebook server</h2>
        {notebooks.isError ? <ErrorMessage error={notebooks.error} title="Notebook servers" onRetry={() => void notebooks.refetch()} /> : null}
        {notebooks.isSuccess && running.length === 0 ? (
          <p className="hint">
            None of your notebook servers is running. Start one on the <Link to="/notebooks">Notebooks</Link> page, or upload
            the file below.
          </p>
        ) : null}
        {running.length ? (
          <Field label="Notebook server">
            <select
              value={serverId ?? ""}
              onChange={(event) => {
                setServerId(event.target.value ? Number(event.target.value) : null);
                setPath("");
              }}
            >
              <option value="">Choose one…</option>
              {running.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {server ? <FileBrowser key={server.id} server={server} chosen={path} onChoose={setPath} /> : null}
        <button type="button" className="primary" disabled={!server || !path || busy} onClick={() => fromServer.mutate()}>
          Import {path ? titleOf(path) : "the notebook"} as a draft
        </button>
      </section>
      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title">Or upload an .ipynb</h2>
        <Field label="Notebook file">
          <input type="file" accept=".ipynb,application/x-ipynb+json,application/json" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        </Field>
        <button type="button" disabled={!file || busy} onClick={() => file && fromFile.mutate(file)}>
          Upload as a draft
        </button>
      </section>
      {busy ? <p role="status">Converting the notebook…</p> : null}
      {failed ? (
        <p className="error" role="alert">
          Not imported: {errorMessage(failed)}
        </p>
      ) : null}
    </section>
  );
}
