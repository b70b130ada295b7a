/** A time as the admin pages show it: UTC, to the second, the same on every server and browser. */
export function utc(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const date = typeof d === "string" ? new Date(d) : d;
  return `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}
