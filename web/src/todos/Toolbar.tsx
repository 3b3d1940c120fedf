import { forwardRef, useEffect, useState } from "react";
import type { DueFilter, ShowFilter, SortKey, TodoFilters } from "./filters";
import { DEFAULT_FILTERS, isFiltered } from "./filters";

interface Props {
  filters: TodoFilters;
  onChange: (change: Partial<TodoFilters>, options?: { replace?: boolean }) => void;
}

const SORTS: [SortKey, string][] = [
  ["order", "Manual order"],
  ["due", "Due date"],
  ["-priority", "Priority"],
  ["-created_at", "Newest"],
  ["created_at", "Oldest"],
  ["-updated_at", "Recently changed"],
  ["title", "Title"],
];

/** Search and filters; every change is written to the URL. */
export const Toolbar = forwardRef<HTMLInputElement, Props>(function Toolbar({ filters, onChange }, searchRef) {
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);
  // Typing updates the URL after a short pause, replacing the entry (not one per keystroke).
  useEffect(() => {
    if (q.trim() === filters.q) return;
    const timer = setTimeout(() => onChange({ q }, { replace: true }), 250);
    return () => clearTimeout(timer);
  }, [q, filters.q, onChange]);

  return (
    <div className="toolbar" role="search">
      <div className="field inline grow">
        <label htmlFor="todo-search" className="visually-hidden">
          Search todos
        </label>
        <input
          id="todo-search"
          ref={searchRef}
          type="search"
          placeholder="Search todos  ( / )"
          value={q}
          onChange={(event) => setQ(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") onChange({ q }, { replace: true });
            if (event.key === "Escape") event.currentTarget.blur();
          }}
        />
      </div>
      <div className="field inline">
        <label htmlFor="todo-show">Show</label>
        <select id="todo-show" value={filters.show} onChange={(event) => onChange({ show: event.target.value as ShowFilter })}>
          <option value="all">All</option>
          <option value="open">Open</option>
          <option value="done">Completed</option>
        </select>
      </div>
      <div className="field inline">
        <label htmlFor="todo-due">Due</label>
        <select id="todo-due" value={filters.due} onChange={(event) => onChange({ due: event.target.value as DueFilter })}>
          <option value="any">Any time</option>
          <option value="overdue">Overdue</option>
          <option value="week">Next 7 days</option>
        </select>
      </div>
      <div className="field inline">
        <label htmlFor="todo-sort">Sort</label>
        <select id="todo-sort" value={filters.sort} onChange={(event) => onChange({ sort: event.target.value as SortKey })}>
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
          {SORTS.some(([value]) => value === filters.sort) ? null : <option value={filters.sort}>{filters.sort}</option>}
        </select>
      </div>
      {isFiltered(filters) || filters.sort !== DEFAULT_FILTERS.sort ? (
        <button
          type="button"
          className="link-button"
          onClick={() => onChange({ q: "", tags: [], show: "all", due: "any", sort: "order" })}
        >
          Reset filters
        </button>
      ) : null}
    </div>
  );
});
