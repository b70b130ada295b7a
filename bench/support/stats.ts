/** Summary statistics of repeated measurements. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  /** Nearest-rank 99th percentile (the maximum when n < 100). */
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    min: sorted[0] ?? NaN,
    median:
      n === 0
        ? NaN
        : n % 2 === 1
          ? (sorted[(n - 1) / 2] as number)
          : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2,
    p99: percentile(sorted, 99),
    max: sorted[n - 1] ?? NaN,
    mean: n === 0 ? NaN : sorted.reduce((a, b) => a + b, 0) / n,
  };
}

/** Milliseconds as people read them: 0.42 ms, 12.3 ms, 456 ms, 12.4 s. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 1) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Bytes in MB (10^6), the unit of the goals. */
export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(0)} MB` : "—";
}

export function ratio(a: number, b: number): string {
  return Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "—";
}

export const MiB = 1024 * 1024;
