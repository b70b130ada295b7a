import type { PreparedSource } from "./source";

export type Verdict = "pass" | "miss" | "info" | "error";

/** One line of the results table. */
export interface Row {
  /** "P1" */
  id: string;
  measure: string;
  runops: string;
  baseline: string;
  /** The ratio and/or the goal, e.g. "1.12× · goal ≤ 1.5×". */
  goal: string;
  verdict: Verdict;
}

export interface BenchContext {
  source: PreparedSource;
  /** Progress for the person watching (stderr). */
  log: (message: string) => void;
  /** Fewer repetitions, for trying the suite out; results are not comparable. */
  quick: boolean;
  /** When set, servers write V8 CPU profiles here (`--cpu-prof`). */
  cpuProfileDir?: string;
}

export interface BenchOutput {
  rows: Row[];
  /** Raw numbers and details, kept in the results file. */
  data: Record<string, unknown>;
}

export interface Benchmark {
  /** "p1" */
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchOutput>;
}

export function verdict(ok: boolean): Verdict {
  return ok ? "pass" : "miss";
}
