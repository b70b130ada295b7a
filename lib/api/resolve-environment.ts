import type { Db } from "../db/client";
import { notFound } from "../errors";

/**
 * The id of a live environment addressed as project slug + name. Access is
 * not decided here: the use case the id is handed to authorizes (and answers
 * 404 to those who may not see it, like a missing environment).
 */
export async function resolveEnvironmentId(db: Db, projectSlug: string, name: string): Promise<string> {
  const env = await db.environment.findFirst({
    where: { name, deletedAt: null, project: { slug: projectSlug } },
    select: { id: true },
  });
  if (!env) throw notFound("environment");
  return env.id;
}
