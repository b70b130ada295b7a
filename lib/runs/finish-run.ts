import type { Db } from "../db/client";
import type { ExecOutcome } from "../executor/types";
import type { RunEnd } from "../logs/types";

/** How an executor outcome is recorded on the run. */
export function outcomeToEnd(outcome: ExecOutcome): RunEnd {
  switch (outcome.ended) {
    case "exited": {
      if (outcome.exitCode === 0) {
        return { state: "complete", result: "success", exitCode: 0, signal: null, reason: null };
      }
      const reason =
        outcome.exitCode !== null ? `exited with code ${outcome.exitCode}` : `killed by ${outcome.signal}`;
      return {
        state: "complete",
        result: "failure",
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        reason,
      };
    }
    case "cancelled":
    case "timed-out":
      return {
        state: "cancelled",
        result: "failure",
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        reason: outcome.reason,
      };
    case "spawn-failed":
      return { state: "complete", result: "failure", exitCode: null, signal: null, reason: outcome.reason };
  }
}

/**
 * Records the end of a run this worker holds. Guarded by state and worker so
 * a run already failed by the lease reaper is not overwritten.
 */
export async function finishRun(db: Db, runId: string, workerId: string, end: RunEnd): Promise<boolean> {
  const updated = await db.run.updateMany({
    where: { id: runId, state: "in_progress", workerId },
    data: { ...end, finishedAt: new Date(), leaseUntil: null },
  });
  return updated.count === 1;
}
