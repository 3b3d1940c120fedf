import { Link } from "react-router";
import type { PostSummary } from "../api/types";
import { ErrorMessage } from "../ui/ErrorMessage";
import { formatWhen } from "../posts/editor/schedule";
import { useLatestPosts } from "./queries";

function PostLinks({ posts, label, when }: { posts: PostSummary[]; label: string; when: (p: PostSummary) => string }) {
  return (
    <ul className="home-list" aria-label={label}>
      {posts.map((post) => (
        <li key={post.id} className="home-post">
          <Link to={`/posts/${post.id}`} className="home-item-title">
            {post.title}
          </Link>
          <span className="hint">{when(post)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Drafts to finish, and what went out last. */
export function PostsSection() {
  const drafts = useLatestPosts("draft");
  const published = useLatestPosts("published");

  return (
    <section className="card home-section" aria-labelledby="home-posts">
      <header className="home-section-header">
        <h2 id="home-posts">Posts</h2>
        <Link to="/posts/new" className="button small primary">
          New post
        </Link>
        <Link to="/posts" className="home-more">
          All posts →
        </Link>
      </header>
      <h3 className="home-subtitle">Drafts</h3>
      {drafts.isError ? <ErrorMessage error={drafts.error} title="Drafts" onRetry={() => void drafts.refetch()} /> : null}
      {drafts.isPending ? <p role="status">Loading drafts…</p> : null}
      {drafts.isSuccess && drafts.data.data.length === 0 ? <p className="empty">No drafts.</p> : null}
      {drafts.data?.data.length ? (
        <PostLinks posts={drafts.data.data} label="Drafts" when={(p) => `edited ${formatWhen(p.updated_at)}`} />
      ) : null}
      <h3 className="home-subtitle">Latest published</h3>
      {published.isError ? (
        <ErrorMessage error={published.error} title="Published posts" onRetry={() => void published.refetch()} />
      ) : null}
      {published.isPending ? <p role="status">Loading posts…</p> : null}
      {published.isSuccess && published.data.data.length === 0 ? <p className="empty">Nothing published yet.</p> : null}
      {published.data?.data.length ? (
        <PostLinks
          posts={published.data.data}
          label="Latest published"
          when={(p) => (p.published_at ? `published ${formatWhen(p.published_at)}` : "")}
        />
      ) : null}
    </section>
  );
}
