/**
 * Keyboard shortcuts: single keys ("n") and two-key sequences ("g t"), ignored while the person
 * types in a field, holds a modifier, or has a dialog open. One window listener serves every
 * component; the most recently mounted binding of a key wins.
 */
import { useEffect, useRef } from "react";

type Handler = (event: KeyboardEvent) => void;
type Bindings = Record<string, Handler>;

const registry = new Set<{ current: Bindings }>();
let prefix: { key: string; at: number } | null = null;
const SEQUENCE_MS = 1200;

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  if (target.isContentEditable || tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !["checkbox", "radio", "button", "submit"].includes((target as HTMLInputElement).type);
}

function find(key: string): Handler | undefined {
  const all = [...registry].reverse();
  for (const bindings of all) {
    const handler = bindings.current[key];
    if (handler) return handler;
  }
  return undefined;
}

function onKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
  const now = Date.now();
  if (prefix && now - prefix.at < SEQUENCE_MS) {
    const handler = find(`${prefix.key} ${event.key}`);
    prefix = null;
    if (handler) {
      event.preventDefault();
      handler(event);
      return;
    }
  }
  const startsSequence = [...registry].some((b) => Object.keys(b.current).some((k) => k.startsWith(`${event.key} `)));
  if (startsSequence) {
    prefix = { key: event.key, at: now };
    return;
  }
  const handler = find(event.key);
  if (handler) {
    event.preventDefault();
    handler(event);
  }
}

export function useShortcuts(bindings: Bindings): void {
  const ref = useRef(bindings);
  useEffect(() => {
    ref.current = bindings;
  });
  useEffect(() => {
    const entry = ref;
    registry.add(entry);
    if (registry.size === 1) window.addEventListener("keydown", onKey);
    return () => {
      registry.delete(entry);
      if (registry.size === 0) window.removeEventListener("keydown", onKey);
    };
  }, []);
}
