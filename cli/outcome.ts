import type { Run } from "./api-client.ts";
import type { LogEnd } from "./follow-log.ts";
import { ExitCode } from "./errors.ts";
import type { Style } from "./format/style.ts";

/** "3.2 s", "2 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function runDuration(
  run: Pick<Run, "startedAt" | "finishedAt" | "createdAt">,
  now = Date.now(),
): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return end - Date.parse(run.startedAt);
}

/** 0 only for a run that completed with success. */
export function exitCodeFor(end: Pick<LogEnd, "state" | "result">): ExitCode {
  return end.state === "complete" && end.result === "success" ? ExitCode.ok : ExitCode.runFailed;
}

/**
 * The closing line of a run: state, result, exit code or signal, duration,
 * and the reason when there is one, e.g.
 * `Run 01H… complete: success, exit code 0, 3.1 s`.
 */
export function describeOutcome(
  runId: string,
  end: Pick<LogEnd, "state" | "result" | "exitCode" | "signal" | "reason">,
  durationMs: number | null,
  style: Style,
): string {
  const ok = exitCodeFor(end) === ExitCode.ok;
  const parts: string[] = [];
  if (end.result) parts.push(ok ? style.green(end.result) : style.red(end.result));
  if (end.exitCode !== null) parts.push(`exit code ${end.exitCode}`);
  if (end.signal) parts.push(`signal ${end.signal}`);
  if (durationMs !== null) parts.push(formatDuration(durationMs));
  let line = `Run ${runId} ${style.bold(end.state.replace("_", " "))}`;
  if (parts.length > 0) line += `: ${parts.join(", ")}`;
  if (end.reason) line += `\nReason: ${end.reason}`;
  return `${line}\n`;
}
