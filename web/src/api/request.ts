/** Typed calls through the generated client, for endpoints addressed by URL. */
import { client } from "./http";

type Query = Record<string, string | number | boolean | string[] | undefined>;

interface CallOptions {
  query?: Query;
  body?: unknown;
}

async function send<T>(
  method: "get" | "post" | "patch" | "put" | "delete",
  url: string,
  options: CallOptions = {},
): Promise<T> {
  const hasBody = options.body !== undefined;
  const result = await client[method]<Record<200, T>, unknown, true>({
    url,
    query: options.query,
    body: options.body,
    headers: hasBody ? { "Content-Type": "application/json" } : undefined,
    throwOnError: true,
  });
  return result.data;
}

export const api = {
  get: <T>(url: string, query?: Query) => send<T>("get", url, { query }),
  post: <T>(url: string, body?: unknown, query?: Query) => send<T>("post", url, { body, query }),
  patch: <T>(url: string, body: unknown) => send<T>("patch", url, { body }),
  delete: <T>(url: string, query?: Query) => send<T>("delete", url, { query }),
};
