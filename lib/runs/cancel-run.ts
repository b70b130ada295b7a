import type { Actor } from "../access/actor";
import { requireAccess } from "../access/authorize";
import { environmentTypeSchema, roleSchema } from "../access/roles";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { runEvents } from "../events/process-channel";
import { isTerminal } from "./run-model";
import { runEnd } from "./run-end";

/**
 * Whoever may run an operation may cancel its runs. A pending run ends at
 * once; a running one is signalled through its worker (commands.stop, then
 * SIGTERM, then SIGKILL) and ends when its process group is gone.
 */
export async function cancelRun(db: Db, actor: Actor, runId: string) {
  const run = await db.run.findUnique({ where: { id: runId }, include: { environment: true } });
  if (!run) throw notFound("run");
  const environmentType = environmentTypeSchema.parse(run.environment.type);
  const projectId = run.environment.projectId;
  await requireAccess(db, actor, projectId, { kind: "view-environment", environmentType }, "run");
  await requireAccess(
    db,
    actor,
    projectId,
    { kind: "cancel-run", environmentType, operationRole: roleSchema.parse(run.role) },
    `run ${run.id}`,
  );
  if (isTerminal(run.state)) throw new AppError(409, "run_ended", `run ${run.id} has already ended`);
  await recordAudit(db, {
    projectId,
    actor,
    action: "run.cancelled",
    target: `${run.operation} on ${run.worker ? `${run.app}--${run.worker}` : run.app} (${run.environment.name})`,
    details: { runId: run.id, state: run.state },
  });

  const reason = `cancelled by ${actor.name || actor.email}`;
  if (run.state === "pending") {
    const end = runEnd({ kind: "cancelled", reason });
    const done = await db.run.updateMany({
      where: { id: runId, state: "pending" },
      data: {
        ...end,
        finishedAt: new Date(),
        cancelRequestedAt: new Date(),
        cancelRequestedBy: actor.userId,
      },
    });
    if (done.count === 1) {
      runEvents().publish({ type: "ended", runId, environmentId: run.environmentId });
      return db.run.findUniqueOrThrow({ where: { id: runId } });
    }
    // It was claimed meanwhile: cancel it as a running run.
  }
  await db.run.updateMany({
    where: { id: runId, state: "in_progress", cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date(), cancelRequestedBy: actor.userId },
  });
  // The worker holding it hears this at once (its heartbeat also checks, should the event be lost).
  runEvents().publish({ type: "cancel-requested", runId, environmentId: run.environmentId });
  return db.run.findUniqueOrThrow({ where: { id: runId } });
}
