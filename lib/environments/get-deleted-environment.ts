import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { originalEnvironmentName } from "./environment-input";

/** A deleted environment of the project, for its kept run history (project admins only). */
export async function getDeletedEnvironment(db: Db, actor: Actor, projectId: string, environmentId: string) {
  const env = await db.environment.findUnique({ where: { id: environmentId } });
  if (!env || env.projectId !== projectId || !env.deletedAt) throw notFound("environment");
  await (await loadAccess(db, actor, projectId)).require({ kind: "admin-project" }, "environment");
  const operations = await db.run.findMany({
    where: { environmentId },
    distinct: ["operation"],
    select: { operation: true },
    orderBy: { operation: "asc" },
  });
  return {
    environment: { ...env, deletedAt: env.deletedAt, originalName: originalEnvironmentName(env.name) },
    operationNames: operations.map((o) => o.operation),
  };
}
