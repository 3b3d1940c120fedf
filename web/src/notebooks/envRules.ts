/** The api's rules for notebook environment variables, checked before sending. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = ["JUPYTER_", "WORKSPACE_"];

export interface EnvRow {
  name: string;
  value: string;
}

/** The problem with a row's name, or null. */
export function envNameProblem(name: string, rows: EnvRow[]): string | null {
  if (!name) return "Enter a name";
  if (!ENV_NAME.test(name)) return "Letters, digits and _, not starting with a digit";
  if (RESERVED.some((p) => name.toUpperCase().startsWith(p))) return "JUPYTER_ and WORKSPACE_ names are reserved";
  if (rows.filter((r) => r.name === name).length > 1) return "Already set above";
  return null;
}

export function envObject(rows: EnvRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.name).map((r) => [r.name, r.value]));
}
