import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { requireInstanceAdmin } from "../access/instance-admin";
import { workerState } from "./worker-registry";

const RECENT_MS = 24 * 3600 * 1000;

/**
 * The workers heard from in the last day, newest first, each with its pool,
 * its state (live, lost, stopped) and the runs it holds in progress.
 * Instance admins only.
 */
export async function listWorkers(db: Db, actor: Actor, leaseMs: number) {
  await requireInstanceAdmin(db, actor, "workers");
  const workers = await db.worker.findMany({
    where: { heartbeatAt: { gte: new Date(Date.now() - RECENT_MS) } },
    orderBy: { startedAt: "desc" },
    take: 200,
  });
  const runs = await db.run.findMany({
    where: { state: "in_progress", workerId: { in: workers.map((w) => w.id) } },
    select: {
      id: true,
      workerId: true,
      operation: true,
      app: true,
      worker: true,
      projectSlug: true,
      environmentName: true,
      startedAt: true,
    },
    orderBy: { id: "asc" },
  });
  return workers.map((w) => ({
    ...w,
    state: workerState(w, leaseMs),
    runs: runs.filter((r) => r.workerId === w.id),
  }));
}

/**
 * Live workers whose commands run as the worker's own OS user: such commands
 * can read what runops can. The console warns instance admins about them.
 */
export async function countSharedUserWorkers(db: Db, leaseMs: number): Promise<number> {
  return db.worker.count({
    where: { runAs: null, stoppedAt: null, heartbeatAt: { gte: new Date(Date.now() - leaseMs) } },
  });
}
