import type { TodoListPublic, TodoPublic } from "../api/types";
import { formatDue, isOverdue } from "./due";

/** Due date (overdue stands out), priority, tags and, outside its list, the list's name. */
export function TodoMeta({ todo, lists, showList = true }: { todo: TodoPublic; lists: TodoListPublic[]; showList?: boolean }) {
  const overdue = isOverdue(todo);
  const list = todo.list_id === null ? null : lists.find((l) => l.id === todo.list_id);
  const items = [];
  if (todo.due) {
    items.push(
      <span key="due" className={`chip due${overdue ? " overdue" : ""}`}>
        {overdue ? "Overdue · " : "Due "}
        <time dateTime={todo.due}>{formatDue(todo.due)}</time>
      </span>,
    );
  }
  if (todo.priority !== "none") {
    items.push(
      <span key="priority" className={`chip priority-${todo.priority}`}>
        {todo.priority} priority
      </span>,
    );
  }
  for (const tag of todo.tags) {
    items.push(
      <span key={`tag-${tag}`} className="chip tag">
        #{tag}
      </span>,
    );
  }
  if (showList && list) {
    items.push(
      <span key="list" className="chip list">
        <span className="dot" style={{ background: list.color }} aria-hidden="true" />
        {list.name}
      </span>,
    );
  }
  if (todo.notes.trim()) items.push(<span key="notes" className="chip notes" title="Has notes">notes</span>);
  return items.length ? <div className="todo-meta">{items}</div> : null;
}
