/** Puts an api error's field messages (422, or a 409 naming its field) next to the form's
 * fields; returns what is left for the form as a whole. */
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError, errorMessage, problemField } from "../api/errors";

export function applyServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly (Path<T> | `root.${string}`)[],
  aliases: Record<string, Path<T> | `root.${string}`> = {},
): string | null {
  if (!(error instanceof ApiError) || error.problems.length === 0) return errorMessage(error);
  const rest: string[] = [];
  for (const problem of error.problems) {
    const raw = problemField(problem);
    const field = raw !== null && raw in aliases ? (aliases[raw] ?? raw) : raw;
    const match = fields.find((f) => f === field || (field !== null && f.startsWith(`${field}.`)));
    if (match) setError(match, { type: "server", message: problem.msg }, { shouldFocus: true });
    else rest.push(field ? `${field}: ${problem.msg}` : problem.msg);
  }
  return rest.length ? rest.join("; ") : null;
}
