/** A duration as the run's log words it: "5s", "0.3s". Both executors say it the same way. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}
