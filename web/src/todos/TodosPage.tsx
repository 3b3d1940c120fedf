import { useRef, useState } from "react";
import { keys } from "../api/keys";
import { ErrorMessage } from "../ui/ErrorMessage";
import { useShortcuts } from "../ui/shortcuts";
import { useSearchFilters } from "../ui/useSearchFilters";
import { ClearCompleted } from "./ClearCompleted";
import { canReorder, filtersFromSearch, filtersToSearch, isFiltered, toApiQuery } from "./filters";
import { ListSidebar } from "./ListSidebar";
import { useLists, useTodos } from "./queries";
import { QuickAdd } from "./QuickAdd";
import { TodoItems } from "./TodoItems";
import { Toolbar } from "./Toolbar";

function focusSibling(delta: 1 | -1) {
  const rows = [...document.querySelectorAll<HTMLElement>("[data-todo-id]")];
  const current = rows.findIndex((row) => row.contains(document.activeElement));
  const next = rows[current < 0 ? (delta > 0 ? 0 : rows.length - 1) : current + delta];
  next?.focus();
}

export function TodosPage() {
  const [filters, setFilters] = useSearchFilters(filtersFromSearch, filtersToSearch);
  const todos = useTodos(filters);
  const lists = useLists();
  const quickAdd = useRef<HTMLInputElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const [notice, setNotice] = useState("");

  useShortcuts({
    n: () => quickAdd.current?.focus(),
    "/": () => search.current?.focus(),
    j: () => focusSibling(1),
    k: () => focusSibling(-1),
  });

  const allLists = lists.data?.data ?? [];
  const list = typeof filters.list === "number" ? allLists.find((l) => l.id === filters.list) : undefined;
  const title = filters.list === "all" ? "All todos" : filters.list === "inbox" ? "Inbox" : (list?.name ?? "List");
  const reorderable = canReorder(filters);
  const items = todos.data?.data ?? [];
  const count = todos.data?.count ?? 0;

  return (
    <div className="todos-page">
      <ListSidebar
        filters={filters}
        onDeleted={(deleted, message) => {
          setNotice(message);
          if (filters.list === deleted.id) setFilters({ list: "inbox" });
        }}
      />
      <section className="todos-main" aria-labelledby="todos-title">
        <header className="page-header">
          <h1 id="todos-title">
            {list ? <span className="dot big" style={{ background: list.color }} aria-hidden="true" /> : null}
            {title}
          </h1>
          <span className="hint" aria-live="polite">
            {todos.isSuccess ? `${count} todo${count === 1 ? "" : "s"}${isFiltered(filters) ? " match" : ""}` : ""}
          </span>
        </header>
        {notice ? <p className="notice" role="status">{notice}</p> : null}
        <QuickAdd ref={quickAdd} listId={typeof filters.list === "number" ? filters.list : null} />
        <Toolbar ref={search} filters={filters} onChange={setFilters} />
        {todos.isError ? <ErrorMessage error={todos.error} title="Todos" onRetry={() => void todos.refetch()} /> : null}
        {todos.isPending ? <p role="status">Loading todos…</p> : null}
        {todos.isSuccess && items.length === 0 ? (
          <p className="empty">{isFiltered(filters) ? "No todo matches these filters." : "Nothing to do here. Add a todo above (press n)."}</p>
        ) : null}
        {items.length ? (
          <TodoItems todos={items} queryKey={keys.todoList(toApiQuery(filters))} reorderable={reorderable} lists={allLists} showList={filters.list === "all"} />
        ) : null}
        {items.length < count ? <p className="hint">Showing the first {items.length} of {count}. Narrow the filters to see the rest.</p> : null}
        <footer className="todos-footer">
          {!reorderable && items.length > 1 ? (
            <p className="hint">To reorder, open one list in manual order without filters.</p>
          ) : null}
          <ClearCompleted filters={filters} where={filters.list === "all" ? "all lists" : `“${title}”`} />
        </footer>
      </section>
    </div>
  );
}
