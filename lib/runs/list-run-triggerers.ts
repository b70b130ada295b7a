import type { Db } from "../db/client";

/**
 * The people who triggered runs on an environment, for the history's "who"
 * filter. Callers have already authorized the environment.
 */
export async function listRunTriggerers(db: Db, environmentId: string) {
  const rows = await db.run.findMany({
    where: { environmentId },
    distinct: ["triggeredById"],
    select: { triggeredBy: { select: { id: true, name: true, email: true } } },
  });
  return rows.map((r) => r.triggeredBy).sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
}
