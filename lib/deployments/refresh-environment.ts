import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import type { Db } from "../db/client";
import { recordDeployment } from "../environments/record-deployment";
import { deployEnvironment } from "./deploy-environment";
import { findLiveEnvironment } from "../environments/find-live-environment";

/** A project admin re-reads an environment's config from its target; the outcome is audited. */
export async function refreshEnvironment(db: Db, actor: Actor, environmentId: string) {
  const env = await findLiveEnvironment(db, environmentId);
  await (await loadAccess(db, actor, env.projectId)).require({ kind: "admin-project" }, "environment");
  const result = await deployEnvironment(db, env.id, actor.userId);
  await recordDeployment(db, actor, env, result);
  return result;
}
