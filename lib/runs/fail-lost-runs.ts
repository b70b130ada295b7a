import { hostname } from "node:os";
import type { Db } from "../db/client";
import { isRunning, procInfo } from "../executor/proc";
import type { RunEventChannel } from "../events/run-events";
import { runEnd } from "./run-end";

/**
 * Ends as failure the runs whose worker is gone: its lease expired (any
 * process may tell: the console and every worker ask), or, asked by a worker,
 * it was a process on this host that has exited. Runs are at-most-once: they
 * are never started again. Their stored log is kept. Returns the run ids.
 */
export async function failLostRuns(
  db: Db,
  channel: RunEventChannel,
  opts: { selfWorkerId?: string } = {},
): Promise<string[]> {
  const now = new Date();
  const running = await db.run.findMany({
    where: { state: "in_progress" },
    select: { id: true, environmentId: true, workerId: true, leaseUntil: true },
  });
  if (running.length === 0) return [];
  const workerIds = [...new Set(running.flatMap((r) => (r.workerId ? [r.workerId] : [])))];
  const workers = new Map(
    (await db.worker.findMany({ where: { id: { in: workerIds } } })).map((w) => [w.id, w]),
  );
  const failed: string[] = [];
  for (const run of running) {
    if (run.workerId === opts.selfWorkerId) continue;
    const worker = run.workerId ? workers.get(run.workerId) : undefined;
    const label = worker ? `worker ${worker.name} (pid ${worker.pid} on ${worker.host})` : "its worker";
    let reason: string | null = null;
    let expired = false;
    if (opts.selfWorkerId && worker && worker.host === hostname() && !isRunning(procInfo(worker.pid))) {
      reason = `${label} stopped while the run was in progress`;
    } else if (worker?.stoppedAt) {
      reason = `${label} stopped while the run was in progress`;
    } else if (run.leaseUntil && run.leaseUntil < now) {
      expired = true;
      reason = `${label} was not heard from since ${run.leaseUntil.toISOString()} (lease expired): the run is ended, it is not started again`;
    }
    if (!reason) continue;
    const updated = await db.run.updateMany({
      // A lease renewed since it was read is the worker's again: only a still-expired one ends.
      where: {
        id: run.id,
        state: "in_progress",
        workerId: run.workerId,
        ...(expired ? { leaseUntil: { lt: now } } : {}),
      },
      data: { ...runEnd({ kind: "failed", reason }), finishedAt: now, leaseUntil: null },
    });
    if (updated.count === 1) {
      failed.push(run.id);
      channel.publish({ type: "ended", runId: run.id, environmentId: run.environmentId });
    }
  }
  return failed;
}
