import type { ExecOutcome } from "../executor/types";
import type { RunEnd } from "../logs/types";

/** Why a run ended, wherever that is decided (executor, cancel, reaper, fencing). */
export type EndCause =
  | { kind: "exited"; exitCode: number | null; signal: string | null }
  | { kind: "cancelled"; reason: string; exitCode?: number | null; signal?: string | null }
  | { kind: "failed"; reason: string };

/** The one place a run's end record (state, result, exit code, signal, reason) is built. */
export function runEnd(cause: EndCause): RunEnd {
  switch (cause.kind) {
    case "exited": {
      if (cause.exitCode === 0) {
        return { state: "complete", result: "success", exitCode: 0, signal: null, reason: null };
      }
      const reason =
        cause.exitCode !== null ? `exited with code ${cause.exitCode}` : `killed by ${cause.signal}`;
      return { state: "complete", result: "failure", exitCode: cause.exitCode, signal: cause.signal, reason };
    }
    case "cancelled":
      return {
        state: "cancelled",
        result: "failure",
        exitCode: cause.exitCode ?? null,
        signal: cause.signal ?? null,
        reason: cause.reason,
      };
    case "failed":
      return { state: "complete", result: "failure", exitCode: null, signal: null, reason: cause.reason };
  }
}

/** How an executor's outcome is recorded on the run. */
export function outcomeToEnd(outcome: ExecOutcome): RunEnd {
  switch (outcome.ended) {
    case "exited":
      return runEnd({ kind: "exited", exitCode: outcome.exitCode, signal: outcome.signal });
    case "cancelled":
    case "timed-out":
      return runEnd({
        kind: "cancelled",
        reason: outcome.reason ?? outcome.ended,
        exitCode: outcome.exitCode,
        signal: outcome.signal,
      });
    case "spawn-failed":
      return runEnd({ kind: "failed", reason: outcome.reason ?? "the command could not be started" });
    case "lost":
      return runEnd({
        kind: "failed",
        reason: outcome.reason ?? "the connection to the remote host was lost",
      });
  }
}
