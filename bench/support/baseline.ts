/** Baselines: the benchmark command run bare, as the executor would run it, without runops. */
import { spawn } from "node:child_process";

/** The basics the executor passes to commands (no secrets), so both sides run in the same conditions. */
export function commandEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const k of ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "SHELL", "TMPDIR"]) {
    if (process.env[k] !== undefined) env[k] = process.env[k];
  }
  return env;
}

export interface BareRun {
  /** performance.now() at spawn, at the first stdout byte, at exit. */
  startedAt: number;
  firstByteAt: number | null;
  exitedAt: number;
  exitCode: number | null;
}

/**
 * `/bin/sh -c command` in `cwd`, in its own process group (as the local executor does); stdout
 * is read and discarded unless `onData` takes it.
 */
export function bareSpawn(command: string, cwd: string, onData?: (data: Buffer) => void): Promise<BareRun> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let firstByteAt: number | null = null;
    const child = spawn("/bin/sh", ["-c", command], {
      cwd,
      env: commandEnv() as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => {
      firstByteAt ??= performance.now();
      onData?.(d);
    });
    child.stderr.resume();
    child.once("error", reject);
    child.once("close", (code) =>
      resolve({ startedAt, firstByteAt, exitedAt: performance.now(), exitCode: code }),
    );
  });
}

/** Bytes of `yes`-style output: 64-character lines (63 + newline), `bytes` in all. */
export function linesCommand(bytes: number): string {
  const line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+";
  return `yes ${line} | head -c ${bytes}`;
}
