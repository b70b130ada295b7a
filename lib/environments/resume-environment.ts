import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { findLiveEnvironment } from "./find-live-environment";

/** A project admin resumes a paused environment: runs are accepted again. */
export async function resumeEnvironment(db: Db, actor: Actor, environmentId: string) {
  const env = await findLiveEnvironment(db, z.string().min(1).parse(environmentId));
  await (await loadAccess(db, actor, env.projectId)).require({ kind: "admin-project" }, "environment");
  if (env.status === "active") return env;
  const resumed = await db.environment.update({ where: { id: env.id }, data: { status: "active" } });
  await recordAudit(db, { projectId: env.projectId, actor, action: "environment.resumed", target: env.name });
  return resumed;
}
