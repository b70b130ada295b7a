import { hostname } from "node:os";
import type { Db } from "../db/client";
import { logHub } from "../logs/log-hub";

/** Worker ids are `host/pid/random`: enough to tell whether a local holder is gone. */
export function makeWorkerId(): string {
  return `${hostname()}/${process.pid}/${Math.random().toString(36).slice(2, 8)}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when the worker ran on this host in a process that no longer exists. */
function localHolderGone(workerId: string | null, selfId: string): boolean {
  if (!workerId || workerId === selfId) return false;
  const [host, pidText] = workerId.split("/");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid)) return false;
  return pid !== process.pid && !pidAlive(pid);
}

/**
 * Ends as failure the runs whose worker is gone: its lease expired, or it was
 * a process on this host that has exited. Runs are at-most-once: they are
 * never started again. Their stored log is kept.
 */
export async function failLostRuns(db: Db, selfWorkerId: string): Promise<string[]> {
  const now = new Date();
  const running = await db.run.findMany({
    where: { state: "in_progress" },
    select: { id: true, workerId: true, leaseUntil: true },
  });
  const failed: string[] = [];
  for (const run of running) {
    let reason: string | null = null;
    if (localHolderGone(run.workerId, selfWorkerId)) {
      reason = `worker ${run.workerId} stopped while the run was in progress`;
    } else if (run.workerId !== selfWorkerId && run.leaseUntil && run.leaseUntil < now) {
      reason = `worker ${run.workerId} stopped renewing its lease (expired ${run.leaseUntil.toISOString()})`;
    }
    if (!reason) continue;
    const end = { state: "complete", result: "failure", exitCode: null, signal: null, reason };
    const updated = await db.run.updateMany({
      where: { id: run.id, state: "in_progress", workerId: run.workerId },
      data: { ...end, finishedAt: now, leaseUntil: null },
    });
    if (updated.count === 1) {
      failed.push(run.id);
      logHub().end(run.id, end);
    }
  }
  return failed;
}
