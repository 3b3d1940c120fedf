/**
 * Todo filters live in the URL query string, so a filtered view can be bookmarked.
 *
 *   ?list=inbox|all|<id>  &q=text  &tag=a&tag=b  &show=open|done  &due=overdue|week  &sort=-due
 *
 * Defaults are left out of the URL; unknown or malformed values fall back to the defaults.
 */
import { addDays, format } from "date-fns";

export type ListScope = "inbox" | "all" | number;
export type ShowFilter = "all" | "open" | "done";
export type DueFilter = "any" | "overdue" | "week";
export const SORT_FIELDS = ["order", "due", "priority", "created_at", "updated_at", "title"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortKey = SortField | `-${SortField}`;

export interface TodoFilters {
  list: ListScope;
  q: string;
  tags: string[];
  show: ShowFilter;
  due: DueFilter;
  sort: SortKey;
}

export const DEFAULT_FILTERS: TodoFilters = {
  list: "inbox",
  q: "",
  tags: [],
  show: "all",
  due: "any",
  sort: "order",
};

/** Query parameters of `GET /api/todos` for a set of filters. */
export interface TodoQuery {
  list_id?: number | "inbox";
  completed?: boolean;
  tag?: string[];
  overdue?: boolean;
  due_before?: string;
  q?: string;
  sort: SortKey;
  limit: number;
}

export const PAGE_SIZE = 200;

function parseList(value: string | null): ListScope {
  if (value === "all" || value === "inbox") return value;
  if (value && /^[1-9]\d*$/.test(value)) return Number(value);
  return DEFAULT_FILTERS.list;
}

function isSortKey(value: string): value is SortKey {
  return (SORT_FIELDS as readonly string[]).includes(value.replace(/^-/, ""));
}

export function filtersFromSearch(params: URLSearchParams): TodoFilters {
  const show = params.get("show");
  const due = params.get("due");
  const sort = params.get("sort") ?? "";
  const tags = params
    .getAll("tag")
    .map((t) => t.trim())
    .filter((t, i, all) => t !== "" && all.indexOf(t) === i);
  return {
    list: parseList(params.get("list")),
    q: (params.get("q") ?? "").trim(),
    tags,
    show: show === "open" || show === "done" ? show : DEFAULT_FILTERS.show,
    due: due === "overdue" || due === "week" ? due : DEFAULT_FILTERS.due,
    sort: isSortKey(sort) ? sort : DEFAULT_FILTERS.sort,
  };
}

export function filtersToSearch(filters: TodoFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.list !== DEFAULT_FILTERS.list) params.set("list", String(filters.list));
  if (filters.q.trim()) params.set("q", filters.q.trim());
  for (const tag of filters.tags) params.append("tag", tag);
  if (filters.show !== DEFAULT_FILTERS.show) params.set("show", filters.show);
  if (filters.due !== DEFAULT_FILTERS.due) params.set("due", filters.due);
  if (filters.sort !== DEFAULT_FILTERS.sort) params.set("sort", filters.sort);
  return params;
}

export function toApiQuery(filters: TodoFilters, today: Date = new Date()): TodoQuery {
  const query: TodoQuery = { sort: filters.sort, limit: PAGE_SIZE };
  if (filters.list !== "all") query.list_id = filters.list;
  if (filters.show !== "all") query.completed = filters.show === "done";
  if (filters.tags.length) query.tag = [...filters.tags];
  if (filters.due === "overdue") query.overdue = true;
  if (filters.due === "week") query.due_before = format(addDays(today, 7), "yyyy-MM-dd");
  if (filters.q.trim()) query.q = filters.q.trim();
  return query;
}

/** Whether anything but the list is narrowed down. */
export function isFiltered(filters: TodoFilters): boolean {
  return (
    filters.q !== "" || filters.tags.length > 0 || filters.show !== "all" || filters.due !== "any"
  );
}

/**
 * Manual order is a position within one list, so reordering needs one list shown whole, in
 * manual order: then the position on screen is the position in the list.
 */
export function canReorder(filters: TodoFilters): boolean {
  return filters.list !== "all" && filters.sort === "order" && !isFiltered(filters);
}
