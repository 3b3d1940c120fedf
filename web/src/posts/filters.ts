/**
 * The posts page's filters live in the URL, like the todos page's:
 *
 *   /posts?status=draft|scheduled|published|unlisted  &q=text
 *
 * Defaults are left out of the URL; unknown values fall back to them.
 */
export const STATUSES = ["draft", "scheduled", "published", "unlisted"] as const;
export type PostStatus = (typeof STATUSES)[number];
export type StatusFilter = "all" | PostStatus;

export interface PostFilters {
  status: StatusFilter;
  q: string;
}

export const DEFAULT_POST_FILTERS: PostFilters = { status: "all", q: "" };

export const STATUS_LABELS: Record<PostStatus, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  published: "Published",
  unlisted: "Unlisted",
};

export const PAGE_SIZE = 100;

/** Query parameters of `GET /api/posts`. */
export interface PostQuery {
  status?: PostStatus;
  q?: string;
  limit: number;
}

const isStatus = (value: string | null): value is PostStatus =>
  value !== null && (STATUSES as readonly string[]).includes(value);

export function postFiltersFromSearch(params: URLSearchParams): PostFilters {
  const status = params.get("status");
  return {
    status: isStatus(status) ? status : DEFAULT_POST_FILTERS.status,
    q: (params.get("q") ?? "").trim(),
  };
}

export function postFiltersToSearch(filters: PostFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== "all") params.set("status", filters.status);
  if (filters.q.trim()) params.set("q", filters.q.trim());
  return params;
}

export function toPostQuery(filters: PostFilters): PostQuery {
  const query: PostQuery = { limit: PAGE_SIZE };
  if (filters.status !== "all") query.status = filters.status;
  if (filters.q.trim()) query.q = filters.q.trim();
  return query;
}

export const isPostFiltered = (filters: PostFilters) => filters.status !== "all" || filters.q !== "";
