import type { Db } from "../db/client";
import type { RunEnd } from "../logs/types";

/**
 * Records the end of a run this worker holds. Guarded by state and worker, so
 * a worker whose run was ended elsewhere (lease lost: fenced) cannot
 * overwrite what was recorded.
 */
export async function finishRun(db: Db, runId: string, workerId: string, end: RunEnd): Promise<boolean> {
  const updated = await db.run.updateMany({
    where: { id: runId, state: "in_progress", workerId },
    data: { ...end, finishedAt: new Date(), leaseUntil: null },
  });
  return updated.count === 1;
}
