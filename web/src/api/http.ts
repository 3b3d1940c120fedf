/** Configures the generated client: same-origin cookies, the CSRF header, typed errors, 401s. */
import { client } from "../client/client.gen";
import { ApiError } from "./errors";

export const CSRF_COOKIE = "workspace_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(name: string, cookies: string = document.cookie): string {
  for (const part of cookies.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return "";
}

let unauthorizedHandler: (() => void) | null = null;

/** Called when any request (but sign-in itself) answers 401: the session is gone. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

export function signalUnauthorized(): void {
  unauthorizedHandler?.();
}

client.setConfig({ baseUrl: "", credentials: "same-origin", throwOnError: true });

client.interceptors.request.use((request) => {
  if (UNSAFE_METHODS.has(request.method.toUpperCase())) {
    request.headers.set(CSRF_HEADER, readCookie(CSRF_COOKIE));
  }
  return request;
});

client.interceptors.error.use((error, response, request) => {
  const status = response instanceof Response ? response.status : 0;
  const apiError = new ApiError(status, error);
  if (status === 401 && !request.url.endsWith("/api/auth/login")) signalUnauthorized();
  return apiError;
});

export { client };
