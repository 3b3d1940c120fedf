/** Errors from the api, in FastAPI's two shapes: `{detail: "message"}` and 422 field lists. */

export interface FieldProblem {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

function isFieldProblems(detail: unknown): detail is FieldProblem[] {
  return (
    Array.isArray(detail) &&
    detail.every((d) => typeof d === "object" && d !== null && "msg" in d && "loc" in d)
  );
}

function detailOf(body: unknown): unknown {
  return typeof body === "object" && body !== null && "detail" in body
    ? body.detail
    : undefined;
}

/** The field a 422 problem is about: the last named part of its location (`["body", "title"]`). */
export function problemField(problem: FieldProblem): string | null {
  const [where, ...rest] = problem.loc;
  if (where !== "body" && where !== "query" && where !== "path") return null;
  const name = rest.find((part) => typeof part === "string");
  return typeof name === "string" ? name : null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(describe(status, body));
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }

  /** Problems tied to fields: a 422's list, or `{detail, field}` (a 409 on a taken name). */
  get problems(): FieldProblem[] {
    const detail = detailOf(this.body);
    if (isFieldProblems(detail)) return detail;
    const field = typeof this.body === "object" && this.body !== null && "field" in this.body ? this.body.field : null;
    return typeof detail === "string" && typeof field === "string" ? [{ loc: ["body", field], msg: detail }] : [];
  }

  /** `{field: message}` for the problems that name a field. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.problems) {
      const field = problemField(p);
      if (field && !(field in out)) out[field] = p.msg;
    }
    return out;
  }
}

function describe(status: number, body: unknown): string {
  const detail = detailOf(body);
  if (typeof detail === "string") return detail;
  if (isFieldProblems(detail)) {
    return detail
      .map((p) => {
        const field = problemField(p);
        return field ? `${field}: ${p.msg}` : p.msg;
      })
      .join("; ");
  }
  if (status === 0) return "cannot reach the server (offline?)";
  if (typeof body === "string" && body.trim() && body.length < 300) return body.trim();
  return `request failed (HTTP ${status})`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : "something went wrong";
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
