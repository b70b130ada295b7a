import type { Actor } from "../access/actor";
import { loadMemberRoles } from "../access/authorize";
import { decide } from "../access/decide";
import { environmentTypeSchema, roleSchema } from "../access/roles";
import type { Db } from "../db/client";
import { notFound } from "../errors";

/**
 * A run the actor may see, with whether they may cancel it. 404 otherwise.
 * The membership is read once and every question put to the access rule.
 */
export async function getRun(db: Db, actor: Actor, runId: string) {
  const run = await db.run.findUnique({
    where: { id: runId },
    include: {
      environment: { include: { project: true } },
      triggeredBy: { select: { id: true, name: true, email: true } },
    },
  });
  if (!run) throw notFound("run");
  const environmentType = environmentTypeSchema.parse(run.environment.type);
  const member = await loadMemberRoles(db, actor.userId, run.environment.projectId);
  if (!decide(member, { kind: "view-environment", environmentType }).allowed) throw notFound("run");
  // Runs of a deleted environment stay reachable by id, for project admins only.
  if (run.environment.deletedAt && !decide(member, { kind: "admin-project" }).allowed) throw notFound("run");
  const canCancel = decide(member, {
    kind: "cancel-run",
    environmentType,
    operationRole: roleSchema.parse(run.role),
  }).allowed;
  return { run, canCancel };
}
