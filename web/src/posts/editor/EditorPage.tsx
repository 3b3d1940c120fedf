import { useState } from "react";
import "../posts.css";
import { useNavigate, useParams } from "react-router";
import { isNotFound } from "../../api/errors";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { NotFound } from "../../ui/NotFound";
import { usePost } from "../queries";
import { PostEditor } from "./PostEditor";

/** `/posts/new` and `/posts/{id}`. A new post keeps its editor when it gets its id. */
export function EditorPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const [createdHere, setCreatedHere] = useState<number | null>(null);
  const postId = /^[1-9]\d*$/.test(id) ? Number(id) : null;
  const isNew = id === "new";
  const post = usePost(postId);

  if (!isNew && postId === null) return <NotFound />;
  const onCreated = (created: number) => {
    setCreatedHere(created);
    void navigate(`/posts/${created}`, { replace: true });
  };
  // The post this editor created: same editor, so the cursor and undo history stay.
  const key = isNew || (postId !== null && postId === createdHere) ? "new" : id;

  if (isNew || key === "new") {
    return <PostEditor key={key} post={null} latest={post.data} onCreated={onCreated} />;
  }
  if (post.isPending) return <p className="page" role="status">Loading the post…</p>;
  if (post.isError) {
    if (isNotFound(post.error)) return <NotFound />;
    return (
      <div className="page">
        <ErrorMessage error={post.error} title="Post" onRetry={() => void post.refetch()} />
      </div>
    );
  }
  return <PostEditor key={key} post={post.data} latest={post.data} onCreated={onCreated} />;
}
