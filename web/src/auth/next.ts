/** Where to go after signing in: a path of this site only (never another origin). */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return fallback;
  }
  if (next === "/signin" || next.startsWith("/signin?")) return fallback;
  return next;
}

export function signInPath(next: string): string {
  const target = safeNext(next, "");
  return target ? `/signin?next=${encodeURIComponent(target)}` : "/signin";
}
