import type { Actor } from "../access/actor";
import { authorize } from "../access/authorize";
import { decide } from "../access/decide";
import { loadMemberRoles } from "../access/authorize";
import { environmentTypeSchema, roleSchema } from "../access/roles";
import type { Db } from "../db/client";
import { notFound } from "../errors";

/** A run the actor may see, with whether they may cancel it. 404 otherwise. */
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
  const projectId = run.environment.projectId;
  const view = await authorize(db, actor, projectId, { kind: "view-environment", environmentType });
  if (!view.allowed) throw notFound("run");
  const member = await loadMemberRoles(db, actor.userId, projectId);
  const canCancel = decide(member, {
    kind: "cancel-run",
    environmentType,
    operationRole: roleSchema.parse(run.role),
  }).allowed;
  return { run, canCancel };
}
