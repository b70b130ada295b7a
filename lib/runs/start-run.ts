import path from "node:path";
import { z } from "zod";
import type { Actor } from "../access/actor";
import { requireAccess } from "../access/authorize";
import { environmentTypeSchema } from "../access/roles";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { parseStoredConfig } from "../deployments/deployment-config";
import { AppError, notFound } from "../errors";
import { newId } from "../ids";
import { queueKey } from "./run-model";
import { runSignals } from "./run-signals";

export const startRunInput = z.object({
  environmentId: z.string().min(1),
  app: z.string().min(1),
  worker: z.string().min(1).nullable().default(null),
  operation: z.string().min(1),
});
export type StartRunInput = z.input<typeof startRunInput>;

/**
 * Authorizes, snapshots the operation from the environment's current
 * deployment into a pending run, and wakes the dispatcher. Returns at once.
 */
export async function startRun(db: Db, actor: Actor, input: StartRunInput) {
  const { environmentId, app, worker, operation } = startRunInput.parse(input);
  const env = await db.environment.findUnique({
    where: { id: environmentId },
    include: { currentDeployment: true },
  });
  if (!env) throw notFound("environment");
  const environmentType = environmentTypeSchema.parse(env.type);
  await requireAccess(db, actor, env.projectId, { kind: "view-environment", environmentType }, "environment");

  const deployment = env.currentDeployment;
  const config = parseStoredConfig(deployment?.config ?? null);
  const op = config.operations.find((o) => o.app === app && o.worker === worker && o.name === operation);
  if (!deployment || !op) {
    const where = worker ? `worker ${worker} of ${app}` : app;
    throw new AppError(404, "not_found", `operation ${operation} not found on ${where}`);
  }
  await requireAccess(
    db,
    actor,
    env.projectId,
    { kind: "run-operation", environmentType, operationRole: op.role },
    `operation ${operation}`,
  );
  if (env.status !== "active") {
    throw new AppError(409, "environment_paused", `environment ${env.name} is paused: runs are refused`);
  }
  const appDef = config.apps.find((a) => a.name === app);
  const appDir = path.resolve(env.targetPath, appDef?.sourceRoot ?? "");

  const run = await db.run.create({
    data: {
      id: newId(),
      environmentId,
      deploymentId: deployment.id,
      app,
      worker,
      operation,
      role: op.role,
      command: op.start,
      stopCommand: op.stop,
      timeoutSec: op.timeout,
      appDir,
      queueKey: queueKey(environmentId, app, worker, operation),
      state: "pending",
      source: actor.source,
      triggeredById: actor.userId,
    },
  });
  await recordAudit(db, {
    projectId: env.projectId,
    actor,
    action: "run.triggered",
    target: `${operation} on ${worker ? `${app}--${worker}` : app} (${env.name})`,
    details: { runId: run.id, environment: env.name, app, worker, operation },
  });
  runSignals().emit("created");
  return run;
}
