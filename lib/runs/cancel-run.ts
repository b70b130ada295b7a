import type { Actor } from "../access/actor";
import { roleSchema } from "../access/roles";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { isNoMatch } from "../db/errors";
import { AppError, notFound } from "../errors";
import { runEvents } from "../events/process-channel";
import { readRun } from "./get-run";
import { isTerminal } from "./run-states";
import { runEnd } from "./run-end";
import { serviceName } from "../config/service-name";

/**
 * Whoever may run an operation may cancel its runs. A pending run ends at
 * once; a running one is signalled through its worker (commands.stop, then
 * SIGTERM, then SIGKILL) and ends when its process group is gone. Three
 * statements in the usual case: the run with its access (one read), the audit
 * event, the guarded update that returns the row.
 */
export async function cancelRun(db: Db, actor: Actor, runId: string) {
  const loaded = await readRun(db, actor, runId);
  if (!loaded) throw notFound("run");
  const { run, access, environmentType } = loaded;
  await access.require({ kind: "view-environment", environmentType }, "run");
  await access.require(
    { kind: "cancel-run", environmentType, operationRole: roleSchema.parse(run.role) },
    `run ${run.id}`,
  );
  if (isTerminal(run.state)) throw new AppError(409, "run_ended", `run ${run.id} has already ended`);
  await recordAudit(db, {
    projectId: access.projectId,
    actor,
    action: "run.cancelled",
    target: `${run.operation} on ${serviceName(run.app, run.worker)} (${run.environment.name})`,
    details: { runId: run.id, state: run.state },
  });
  // What the caller shows next comes with it: whoever cancelled it may cancel it.
  const shown = (row: Awaited<ReturnType<typeof db.run.findUniqueOrThrow>>) => ({
    ...row,
    environment: { name: run.environment.name, project: { slug: run.environment.project.slug } },
    triggeredBy: run.triggeredBy,
    canCancel: true,
  });

  const reason = `cancelled by ${actor.name || actor.email}`;
  if (run.state === "pending") {
    const end = runEnd({ kind: "cancelled", reason });
    try {
      const done = await db.run.update({
        where: { id: runId, state: "pending" },
        data: {
          ...end,
          finishedAt: new Date(),
          cancelRequestedAt: new Date(),
          cancelRequestedBy: actor.userId,
        },
      });
      runEvents().publish({ type: "ended", runId, environmentId: run.environmentId });
      return shown(done);
    } catch (error) {
      if (!isNoMatch(error)) throw error;
      // It was claimed meanwhile: cancel it as a running run.
    }
  }
  let requested;
  try {
    requested = await db.run.update({
      where: { id: runId, state: "in_progress", cancelRequestedAt: null },
      data: { cancelRequestedAt: new Date(), cancelRequestedBy: actor.userId },
    });
  } catch (error) {
    if (!isNoMatch(error)) throw error;
    // Already requested, or it ended meanwhile: nothing to change, show it as it is.
    requested = await db.run.findUniqueOrThrow({ where: { id: runId } });
  }
  // The worker holding it hears this at once (its heartbeat also checks, should the event be lost).
  runEvents().publish({ type: "cancel-requested", runId, environmentId: run.environmentId });
  return shown(requested);
}
