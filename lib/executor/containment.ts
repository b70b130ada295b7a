/**
 * How a worker finds every process a run started, whatever it did to escape
 * (setsid, double fork, nohup), so that none outlives the run. See decision
 * 0006: a cgroup v2 per run where the host lets the worker make them, else the
 * run's process group plus a marker in the environment of its processes.
 */
export interface RunContainment {
  /** Moves a just-spawned process (still waiting to exec the command) in. */
  adopt(pid: number): void;
  /** The run's processes that still run (zombies excluded: they hold nothing). */
  pids(): number[];
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to every process of the run. */
  kill(): void;
  /** Forgets the run (removes its cgroup); call once its processes are gone. */
  release(): void;
}

export interface Containment {
  readonly kind: "cgroup" | "process-group";
  forRun(runId: string): RunContainment;
  /**
   * A containment for a shell made before its run is known (lib/executor/spare-shell.ts), or
   * undefined where that cannot be done safely (the process-group fallback marks processes by
   * the run's id in their environment from the start).
   */
  forSpare?(name: string): RunContainment;
  /** Runs that still have processes on this host, by run id. */
  leftovers(): Leftover[];
}

/** A run with processes (or, for cgroups, an empty cgroup) on this host; `ageMs` since it was made. */
export type Leftover = { runId: string; pids: number[]; ageMs: number; containment: RunContainment };

/** The environment variable that marks each process of a run (also useful to commands). */
export const RUN_MARKER = "RUNOPS_RUN_ID";

/** Resolves true once the run has no process left, false when `ms` passed first. */
export async function waitEmpty(run: RunContainment, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (run.pids().length === 0) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
