import type { Db } from "../db/client";
import { notFound } from "../errors";

/** An environment that has not been deleted, by id, or a 404. */
export async function findLiveEnvironment(db: Db, environmentId: string) {
  const env = await db.environment.findUnique({ where: { id: environmentId } });
  if (!env || env.deletedAt) throw notFound("environment");
  return env;
}
