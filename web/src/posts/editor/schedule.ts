/**
 * The schedule picker is a `datetime-local` input: a wall-clock time in the browser's zone.
 * The api takes and returns an instant (ISO 8601 with its offset).
 */
import { format, isValid, parseISO } from "date-fns";

/** "2030-05-01T09:30" (local) → an ISO instant, or null when empty or not a time. */
export function scheduleToIso(local: string): string | null {
  if (!local) return null;
  const value = parseISO(local);
  return isValid(value) ? value.toISOString() : null;
}

/** An ISO instant → the input's local value ("" for none). */
export function isoToSchedule(iso: string | null | undefined): string {
  if (!iso) return "";
  const value = parseISO(iso);
  return isValid(value) ? format(value, "yyyy-MM-dd'T'HH:mm") : "";
}

/** Whether a picked time is still ahead (a past one would publish at once). */
export function isFuture(local: string, now = new Date()): boolean {
  const iso = scheduleToIso(local);
  return iso !== null && new Date(iso).getTime() > now.getTime();
}

export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return "";
  const value = parseISO(iso);
  return isValid(value) ? format(value, "d MMM yyyy, HH:mm") : iso;
}
