import type { Actor } from "../access/actor";
import { requireAccess } from "../access/authorize";
import type { Db } from "../db/client";
import { recordDeployment } from "../environments/record-deployment";
import { notFound } from "../errors";
import { deployEnvironment } from "./deploy-environment";

/** A project admin re-reads an environment's config from its target; the outcome is audited. */
export async function refreshEnvironment(db: Db, actor: Actor, environmentId: string) {
  const env = await db.environment.findUnique({ where: { id: environmentId } });
  if (!env || env.deletedAt) throw notFound("environment");
  await requireAccess(db, actor, env.projectId, { kind: "admin-project" }, "environment");
  const result = await deployEnvironment(db, env.id, actor.userId);
  await recordDeployment(db, actor, env, result);
  return result;
}
