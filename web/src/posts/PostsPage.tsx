import { useEffect, useRef, useState } from "react";
import "./posts.css";
import { Link } from "react-router";
import type { PostSummary } from "../api/types";
import { ErrorMessage } from "../ui/ErrorMessage";
import { useShortcuts } from "../ui/shortcuts";
import { useSearchFilters } from "../ui/useSearchFilters";
import { formatWhen } from "./editor/schedule";
import { isPostFiltered, postFiltersFromSearch, postFiltersToSearch, STATUS_LABELS, STATUSES, type StatusFilter } from "./filters";
import { usePosts } from "./queries";
import { PostStatusBadge } from "./StatusBadge";

function when(post: PostSummary): string {
  if (post.status === "scheduled" && post.publish_at) return `goes live ${formatWhen(post.publish_at)}`;
  if ((post.status === "published" || post.status === "unlisted") && post.published_at) {
    return `published ${formatWhen(post.published_at)}`;
  }
  return `edited ${formatWhen(post.updated_at)}`;
}

function PostRow({ post }: { post: PostSummary }) {
  const visible = post.status === "published" || post.status === "unlisted";
  return (
    <li className="card post-row" aria-labelledby={`post-${post.id}`}>
      <div className="post-row-main">
        <Link id={`post-${post.id}`} to={`/posts/${post.id}`} className="post-row-title">
          {post.title}
        </Link>
        <PostStatusBadge status={post.status} />
      </div>
      {post.summary ? <p className="post-row-summary">{post.summary}</p> : null}
      <p className="post-row-meta hint">
        <span>{when(post)}</span>
        {post.tags.map((tag) => (
          <span key={tag} className="tag">
            #{tag}
          </span>
        ))}
        {visible ? (
          <a href={post.public_url} target="_blank" rel="noopener">
            /blog/{post.slug} ↗
          </a>
        ) : null}
      </p>
    </li>
  );
}

export function PostsPage() {
  const [filters, setFilters] = useSearchFilters(postFiltersFromSearch, postFiltersToSearch);
  const posts = usePosts(filters);
  const search = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState(filters.q);
  // The URL changed (back, a link): the box follows, unless it already says the same.
  const [shownQ, setShownQ] = useState(filters.q);
  if (filters.q !== shownQ) {
    setShownQ(filters.q);
    if (q.trim() !== filters.q) setQ(filters.q);
  }
  useEffect(() => {
    if (q.trim() === filters.q) return;
    const timer = setTimeout(() => setFilters({ q }, { replace: true }), 250);
    return () => clearTimeout(timer);
  }, [q, filters.q, setFilters]);
  useShortcuts({ "/": () => search.current?.focus() });

  const items = posts.data?.data ?? [];
  const count = posts.data?.count ?? 0;
  const tabs: StatusFilter[] = ["all", ...STATUSES];

  return (
    <section className="page" aria-labelledby="posts-title">
      <header className="page-header">
        <h1 id="posts-title">Posts</h1>
        <span className="hint" aria-live="polite">
          {posts.isSuccess ? `${count} post${count === 1 ? "" : "s"}${isPostFiltered(filters) ? " match" : ""}` : ""}
        </span>
        <span className="page-header-end row-actions">
          <Link to="/posts/from-notebook" className="button">
            New from notebook
          </Link>
          <Link to="/posts/new" className="button primary">
            New post
          </Link>
        </span>
      </header>
      <div className="toolbar posts-toolbar">
        <div className="status-tabs" role="group" aria-label="Status">
          {tabs.map((status) => (
            <button
              key={status}
              type="button"
              aria-pressed={filters.status === status}
              onClick={() => setFilters({ status })}
            >
              {status === "all" ? "All" : STATUS_LABELS[status]}
            </button>
          ))}
        </div>
        <div className="field inline grow" role="search">
          <label htmlFor="post-search" className="visually-hidden">
            Search posts
          </label>
          <input
            id="post-search"
            ref={search}
            type="search"
            placeholder="Search titles and text  ( / )"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") setFilters({ q }, { replace: true });
              if (event.key === "Escape") event.currentTarget.blur();
            }}
          />
        </div>
      </div>
      {posts.isError ? <ErrorMessage error={posts.error} title="Posts" onRetry={() => void posts.refetch()} /> : null}
      {posts.isPending ? <p role="status">Loading posts…</p> : null}
      {posts.isSuccess && items.length === 0 ? (
        <p className="empty">
          {isPostFiltered(filters) ? "No post matches these filters." : "No posts yet. Write the first one with “New post”."}
        </p>
      ) : null}
      {items.length ? (
        <ul className="post-list" aria-label="Posts">
          {items.map((post) => (
            <PostRow key={post.id} post={post} />
          ))}
        </ul>
      ) : null}
      {items.length < count ? <p className="hint">Showing the first {items.length} of {count}. Search to narrow them down.</p> : null}
    </section>
  );
}
