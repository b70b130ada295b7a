/**
 * Times as the console shows them. `utc` is the one absolute format: UTC to the second, the same
 * on every server and browser, so a server render and the browser's first render agree.
 */
export function utc(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const date = typeof d === "string" ? new Date(d) : d;
  return `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** A time of day in UTC to the millisecond, "07:12:23.123": a log line's. */
export function utcClock(d: Date | string): string {
  return (typeof d === "string" ? new Date(d) : d).toISOString().slice(11, 23);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "5 h ago", "2 d ago"; past a month, the UTC date. */
export function ago(d: Date | string, now: number): string {
  const at = typeof d === "string" ? Date.parse(d) : d.getTime();
  const ms = Math.max(0, now - at);
  if (ms < MINUTE) return "just now";
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ago`;
  if (ms < 30 * DAY) return `${Math.floor(ms / DAY)} d ago`;
  return utc(new Date(at)).slice(0, 10);
}
