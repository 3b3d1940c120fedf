/** The home page's todos: open ones due today or earlier, overdue first (by due date). */
import { format } from "date-fns";
import type { TodoPublic } from "../api/types";
import { isOverdue } from "../todos/due";
import type { TodoQuery } from "../todos/filters";

export const TODAY_LIMIT = 50;

export function todayQuery(now = new Date()): TodoQuery {
  return { completed: false, due_before: format(now, "yyyy-MM-dd"), sort: "due", limit: TODAY_LIMIT };
}

export function splitToday(todos: TodoPublic[], now = new Date()): { overdue: TodoPublic[]; today: TodoPublic[] } {
  const overdue: TodoPublic[] = [];
  const today: TodoPublic[] = [];
  for (const todo of todos) (isOverdue(todo, now) ? overdue : today).push(todo);
  return { overdue, today };
}
