/** "1m 05s", "3.2s": a duration a person reads at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** How long the run took, or has taken so far; null before it started or while `now` is unknown. */
export function runDuration(
  run: { startedAt: string | null; finishedAt: string | null },
  now: number | null,
): number | null {
  if (!run.startedAt) return null;
  if (run.finishedAt) return Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return now === null ? null : now - Date.parse(run.startedAt);
}

export const stateLabel: Record<string, string> = {
  pending: "pending",
  in_progress: "in progress",
  complete: "complete",
  cancelled: "cancelled",
};
