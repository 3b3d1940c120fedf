/** Due dates: a day ("2024-06-01") or a moment with its zone ("2024-06-01T09:00:00+02:00"). */
import { differenceInCalendarDays, format, isValid, parseISO } from "date-fns";

export const isDateOnly = (due: string) => /^\d{4}-\d{2}-\d{2}$/.test(due);

/** The due moment as a local Date (a day counts as its local midnight). */
export function parseDue(due: string): Date | null {
  const value = parseISO(due);
  return isValid(value) ? value : null;
}

/** Overdue: not completed and past (a day is past once it has ended). */
export function isOverdue(todo: { due: string | null; completed: boolean }, now = new Date()): boolean {
  if (todo.completed || !todo.due) return false;
  const due = parseDue(todo.due);
  if (!due) return false;
  if (isDateOnly(todo.due)) return differenceInCalendarDays(due, now) < 0;
  return due.getTime() < now.getTime();
}

export function formatDue(due: string, now = new Date()): string {
  const value = parseDue(due);
  if (!value) return due;
  const days = differenceInCalendarDays(value, now);
  let day: string;
  if (days === 0) day = "Today";
  else if (days === 1) day = "Tomorrow";
  else if (days === -1) day = "Yesterday";
  else if (Math.abs(days) < 180) day = format(value, "EEE d MMM");
  else day = format(value, "d MMM yyyy");
  return isDateOnly(due) ? day : `${day} ${format(value, "HH:mm")}`;
}

/** The value for `due` from a date input and an optional time input (local time). */
export function dueFromInputs(date: string, time: string): string | null {
  if (!date) return null;
  if (!time) return date;
  const value = parseISO(`${date}T${time}`);
  return isValid(value) ? format(value, "yyyy-MM-dd'T'HH:mm:ssxxx") : date;
}

/** The date and time inputs' values for a due (time empty for a day). */
export function dueToInputs(due: string | null): { date: string; time: string } {
  if (!due) return { date: "", time: "" };
  if (isDateOnly(due)) return { date: due, time: "" };
  const value = parseDue(due);
  return value ? { date: format(value, "yyyy-MM-dd"), time: format(value, "HH:mm") } : { date: "", time: "" };
}
