import { Link } from "react-router";
import { ErrorMessage } from "../ui/ErrorMessage";
import { filtersToSearch, type TodoFilters } from "./filters";
import { useTags } from "./queries";

/** The person's tags; each toggles a tag filter (all selected tags must match). */
export function TagFilters({ filters }: { filters: TodoFilters }) {
  const tags = useTags();
  if (tags.isError) return <ErrorMessage error={tags.error} title="Tags" onRetry={() => void tags.refetch()} />;
  const all = tags.data?.data ?? [];
  if (!all.length) return null;
  return (
    <nav aria-label="Tags" className="tag-filters">
      <h2 className="sidebar-title">Tags</h2>
      <ul>
        {all.map((tag) => {
          const active = filters.tags.includes(tag.name);
          const next = active ? filters.tags.filter((t) => t !== tag.name) : [...filters.tags, tag.name];
          return (
            <li key={tag.id}>
              <Link
                to={`?${filtersToSearch({ ...filters, tags: next }).toString()}`}
                aria-label={`${active ? "Stop filtering by" : "Filter by"} tag ${tag.name} (${tag.todo_count})`}
                className={`tag${active ? " active" : ""}`}
                style={{ borderColor: tag.color }}
              >
                #{tag.name} <span className="count" aria-hidden="true">{tag.todo_count}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
