/**
 * Quick-add syntax: "Buy milk #home !high due:tomorrow" → title "Buy milk", tag home,
 * priority high, due tomorrow. Words that are not syntax stay in the title.
 */
import { addDays, format, isValid, parseISO } from "date-fns";
import type { Priority, TodoCreate } from "../api/types";

const PRIORITY_WORDS: Record<string, Priority> = {
  "!high": "high",
  "!h": "high",
  "!medium": "medium",
  "!med": "medium",
  "!m": "medium",
  "!low": "low",
  "!l": "low",
};

function parseDueWord(word: string, today: Date): string | null {
  const value = word.toLowerCase();
  if (value === "today") return format(today, "yyyy-MM-dd");
  if (value === "tomorrow") return format(addDays(today, 1), "yyyy-MM-dd");
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && isValid(parseISO(value))) return value;
  return null;
}

export function parseQuickAdd(text: string, today = new Date()): Omit<TodoCreate, "list_id"> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const title: string[] = [];
  const tags: string[] = [];
  let priority: Priority | undefined;
  let due: string | undefined;
  for (const word of words) {
    const lower = word.toLowerCase();
    if (word.length > 1 && word.startsWith("#") && !word.includes(",")) {
      const tag = word.slice(1);
      if (!tags.includes(tag)) tags.push(tag);
    } else if (lower in PRIORITY_WORDS) {
      priority = PRIORITY_WORDS[lower];
    } else if (lower.startsWith("due:") && parseDueWord(word.slice(4), today)) {
      due = parseDueWord(word.slice(4), today) ?? undefined;
    } else {
      title.push(word);
    }
  }
  const result: Omit<TodoCreate, "list_id"> = { title: title.join(" ") };
  if (tags.length) result.tags = tags;
  if (priority) result.priority = priority;
  if (due) result.due = due;
  return result;
}
