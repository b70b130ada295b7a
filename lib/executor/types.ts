import type { ChildProcessWithoutNullStreams } from "node:child_process";
import type { RunContainment } from "./containment";
import type { RunAsUser } from "./run-as";

/** What an executor needs to run one operation. */
export type ExecSpec = {
  command: string;
  stopCommand: string | null;
  cwd: string;
  /** The environment's target: `cwd`, symlinks resolved, must stay inside it. */
  target: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** SIGTERM → SIGKILL delay. */
  graceMs: number;
  /** Longest wait for `commands.stop`. */
  stopTimeoutMs: number;
  /** The OS user the command runs as; null: the worker's own user. */
  runAs: RunAsUser | null;
  /** Where the run's processes are kept track of, to end every one of them. */
  containment: RunContainment;
  /** A shell made ahead, waiting in `containment` (spare-shell.ts); absent: spawn one. */
  spare?: ChildProcessWithoutNullStreams;
};

/** Where the executor sends output; `write` returning false means "pause". */
export interface OutputSink {
  write(stream: "stdout" | "stderr", data: Buffer): boolean;
  onDrain(callback: () => void): void;
  system(text: string): void;
}

export type ExecOutcome = {
  /**
   * exited: on its own; cancelled / timed-out: stopped by runops; spawn-failed: never started;
   * lost: the connection to a remote host dropped mid-run (the remote side ends what the run left).
   */
  ended: "exited" | "cancelled" | "timed-out" | "spawn-failed" | "lost";
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
};

export interface ExecHandle {
  cancel(reason: string): void;
  readonly done: Promise<ExecOutcome>;
}
