import { hostname } from "node:os";
import type { Db } from "../db/client";
import { newId } from "../ids";

export type WorkerIdentity = {
  name: string;
  version: string;
  concurrency: number;
  runAs: string | null;
  containment: "cgroup" | "process-group";
  /** The pool it claims runs of. */
  pool: string;
};

/** Writes this process's Worker row; its id is the worker id runs are claimed under. */
export async function registerWorker(db: Db, identity: WorkerIdentity): Promise<string> {
  const id = newId();
  await db.worker.create({
    data: { id, ...identity, host: hostname(), pid: process.pid, heartbeatAt: new Date() },
  });
  return id;
}

export async function recordHeartbeat(db: Db, workerId: string) {
  await db.worker.update({ where: { id: workerId }, data: { heartbeatAt: new Date() } });
}

export async function recordWorkerStopped(db: Db, workerId: string) {
  await db.worker.update({ where: { id: workerId }, data: { stoppedAt: new Date() } });
}

/** A worker is live while it has not stopped and was heard from within its lease. */
export function workerState(
  worker: { stoppedAt: Date | null; heartbeatAt: Date },
  leaseMs: number,
  now = Date.now(),
): "live" | "stopped" | "lost" {
  if (worker.stoppedAt) return "stopped";
  return now - worker.heartbeatAt.getTime() <= leaseMs ? "live" : "lost";
}
