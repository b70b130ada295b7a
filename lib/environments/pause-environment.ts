import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { findLiveEnvironment } from "./find-live-environment";

/**
 * A project admin pauses an environment: new runs are refused (409, see
 * startRun) until it is resumed. Runs already started go on to their end.
 */
export async function pauseEnvironment(db: Db, actor: Actor, environmentId: string) {
  const env = await findLiveEnvironment(db, z.string().min(1).parse(environmentId));
  await (await loadAccess(db, actor, env.projectId)).require({ kind: "admin-project" }, "environment");
  if (env.status === "paused") return env;
  const paused = await db.environment.update({ where: { id: env.id }, data: { status: "paused" } });
  await recordAudit(db, { projectId: env.projectId, actor, action: "environment.paused", target: env.name });
  return paused;
}
