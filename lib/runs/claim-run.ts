import type { DatabaseProvider, Db } from "../db/client";

/** Any constant: every claim on PostgreSQL takes this transaction lock. */
const CLAIM_LOCK = 72_201_001;

/**
 * Claims the oldest runnable pending run for `workerId`, or returns null.
 * A run is runnable when no run with its queue key is in progress. Claims
 * are serialized (a transaction lock on PostgreSQL, SQLite's single writer),
 * so two workers never start the same run nor two runs of one queue. The row
 * returned is the run's complete snapshot: a worker reads nothing else.
 */
export async function claimNextRun(
  db: Db,
  provider: DatabaseProvider,
  worker: { id: string; label: string },
  leaseMs: number,
) {
  return db.$transaction(async (tx) => {
    if (provider === "postgresql") await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`;
    const busy = await tx.run.findMany({
      where: { state: "in_progress" },
      select: { queueKey: true },
      distinct: ["queueKey"],
    });
    const blocked = new Set(busy.map((r) => r.queueKey));
    const pending = await tx.run.findMany({
      where: { state: "pending" },
      orderBy: { id: "asc" },
      take: 200,
      select: { id: true, queueKey: true },
    });
    for (const candidate of pending) {
      // Only the oldest pending run of a queue may start.
      if (blocked.has(candidate.queueKey)) continue;
      blocked.add(candidate.queueKey);
      const now = new Date();
      const claimed = await tx.run.updateMany({
        where: { id: candidate.id, state: "pending" },
        data: {
          state: "in_progress",
          workerId: worker.id,
          workerLabel: worker.label,
          startedAt: now,
          leaseUntil: new Date(now.getTime() + leaseMs),
        },
      });
      if (claimed.count === 1) return tx.run.findUniqueOrThrow({ where: { id: candidate.id } });
    }
    return null;
  });
}

export type ClaimedRun = NonNullable<Awaited<ReturnType<typeof claimNextRun>>>;
