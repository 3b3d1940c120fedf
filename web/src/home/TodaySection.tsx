import { forwardRef } from "react";
import { Link } from "react-router";
import { format } from "date-fns";
import { keys } from "../api/keys";
import { ErrorMessage } from "../ui/ErrorMessage";
import { useLists } from "../todos/queries";
import { QuickAdd } from "../todos/QuickAdd";
import { TodoItems } from "../todos/TodoItems";
import { useTodayTodos } from "./queries";
import { splitToday, todayQuery } from "./today";

/** Open todos due today or overdue, and a quick add for today. */
export const TodaySection = forwardRef<HTMLInputElement>(function TodaySection(_props, quickAdd) {
  const todos = useTodayTodos();
  const lists = useLists();
  const items = todos.data?.data ?? [];
  const { overdue } = splitToday(items);
  const count = todos.data?.count ?? 0;

  return (
    <section className="card home-section" aria-labelledby="home-todos">
      <header className="home-section-header">
        <h2 id="home-todos">Today</h2>
        <span className="hint" aria-live="polite">
          {todos.isSuccess
            ? count
              ? `${count} to do${overdue.length ? ` · ${overdue.length} overdue` : ""}`
              : "Nothing due"
            : ""}
        </span>
        <Link to="/todos?list=all&show=open&sort=due" className="home-more">
          All todos →
        </Link>
      </header>
      <QuickAdd
        ref={quickAdd}
        listId={null}
        defaultDue={format(new Date(), "yyyy-MM-dd")}
        placeholder="Add a todo for today…  #tag  !high  due:tomorrow"
      />
      {todos.isError ? <ErrorMessage error={todos.error} title="Todos" onRetry={() => void todos.refetch()} /> : null}
      {todos.isPending ? <p role="status">Loading todos…</p> : null}
      {todos.isSuccess && items.length === 0 ? <p className="empty">Nothing due today. Add a todo above (press n).</p> : null}
      {items.length ? (
        <TodoItems
          todos={items}
          queryKey={keys.todoList(todayQuery())}
          reorderable={false}
          lists={lists.data?.data ?? []}
          showList
        />
      ) : null}
      {items.length < count ? (
        <p className="hint">
          Showing {items.length} of {count}. <Link to="/todos?list=all&show=open&sort=due">See them all</Link>.
        </p>
      ) : null}
    </section>
  );
});
