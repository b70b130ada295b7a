import path from "node:path";
import { z } from "zod";
import type { Actor } from "../access/actor";
import { environmentTypeSchema } from "../access/roles";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { envFor } from "../config/types";
import { parseStoredConfig } from "../deployments/deployment-config";
import { AppError, notFound } from "../errors";
import { newId } from "../ids";
import { queueKey } from "./run-model";
import { runEvents } from "../events/process-channel";
import { type EnvironmentRef, getEnvironmentAccess } from "../environments/get-environment-access";
import { serviceName } from "../config/service-name";

export const startRunInput = z.object({
  environmentId: z.string().min(1),
  /** Optional when the operation name exists on one app (or worker) only. */
  app: z.string().min(1).optional(),
  worker: z.string().min(1).nullable().optional(),
  operation: z.string().min(1),
});
export type StartRunInput = z.input<typeof startRunInput>;

/**
 * Authorizes, snapshots everything the run needs from the environment's
 * current deployment into a pending run (a worker never reads the deployment),
 * and announces it on the run event channel. Returns at once.
 */
export async function startRun(db: Db, actor: Actor, input: StartRunInput, links: RunLinks = {}) {
  const { environmentId, ...what } = startRunInput.parse(input);
  return triggerRun(db, actor, { environmentId }, what, links);
}

/** Set by the server only (never from the request): Run again names the run it repeats. */
export type RunLinks = { repeatOfId?: string };

/** `startRun` for a live environment named by project slug and name (the API's path). */
export async function startRunIn(
  db: Db,
  actor: Actor,
  projectSlug: string,
  environmentName: string,
  input: Omit<StartRunInput, "environmentId">,
) {
  const what = startRunInput.omit({ environmentId: true }).parse(input);
  return triggerRun(db, actor, { projectSlug, environmentName }, what);
}

/**
 * Three statements: the environment with its project, current deployment and
 * the actor's membership in one read; the run; its audit event.
 */
async function triggerRun(
  db: Db,
  actor: Actor,
  ref: EnvironmentRef,
  { app, worker, operation }: Omit<z.output<typeof startRunInput>, "environmentId">,
  { repeatOfId }: RunLinks = {},
) {
  const loaded = await getEnvironmentAccess(db, actor, ref, { deployment: true });
  // A deleted environment keeps its history but takes no new runs.
  if (!loaded || loaded.environment.deleted) throw notFound("environment");
  const { environment: env, project, deployment, access } = loaded;
  const environmentId = env.id;
  const environmentType = environmentTypeSchema.parse(env.type);
  await access.require({ kind: "view-environment", environmentType }, "environment");

  const config = parseStoredConfig(deployment?.config ?? null);
  const named = config.operations.filter(
    (o) =>
      o.name === operation &&
      (app === undefined || o.app === app) &&
      (worker === undefined || o.worker === worker),
  );
  // `--app api` alone means the app's own operation when it has one, not its workers'.
  const own = app !== undefined && worker === undefined ? named.filter((o) => o.worker === null) : [];
  const matches = own.length > 0 ? own : named;
  if (!deployment || matches.length === 0) {
    const where = app ? ` on ${serviceName(app, worker)}` : "";
    throw new AppError(404, "not_found", `operation ${operation} not found${where}`);
  }
  const op = matches[0];
  if (matches.length > 1 || !op) {
    const services = matches.map((o) => serviceName(o.app, o.worker));
    throw new AppError(
      422,
      "ambiguous_operation",
      `operation ${operation} exists on ${services.join(", ")}: say which app (and worker) to run it on`,
      { apps: services },
    );
  }
  await access.require(
    { kind: "run-operation", environmentType, operationRole: op.role },
    `operation ${operation}`,
  );
  if (env.status !== "active") {
    throw new AppError(409, "environment_paused", `environment ${env.name} is paused: runs are refused`);
  }
  const appDef = config.apps.find((a) => a.name === op.app);
  const appDir = path.resolve(env.targetPath, appDef?.sourceRoot ?? "");

  const run = await db.run.create({
    data: {
      id: newId(),
      environmentId,
      deploymentId: deployment.id,
      app: op.app,
      worker: op.worker,
      operation,
      role: op.role,
      command: op.start,
      stopCommand: op.stop,
      timeoutSec: op.timeout,
      appDir,
      projectSlug: project.slug,
      environmentName: env.name,
      environmentType,
      appEnv: JSON.stringify(appDef ? envFor(appDef, op.worker) : {}),
      targetKind: env.targetKind,
      targetHost: env.targetHost,
      targetHostKey: env.targetHostKey,
      targetPath: env.targetPath,
      projectId: env.projectId,
      pool: env.pool,
      queueKey: queueKey(environmentId, op.app, op.worker, operation),
      state: "pending",
      source: actor.source,
      triggeredById: actor.userId,
      repeatOfId: repeatOfId ?? null,
    },
  });
  await recordAudit(db, {
    projectId: env.projectId,
    actor,
    action: "run.triggered",
    target: `${operation} on ${serviceName(op.app, op.worker)} (${env.name})`,
    details: {
      runId: run.id,
      environment: env.name,
      app: op.app,
      worker: op.worker,
      operation,
      ...(repeatOfId ? { repeatOf: repeatOfId } : {}),
    },
  });
  runEvents().publish({ type: "created", runId: run.id, environmentId });
  // What the caller shows next, without reading it back: who triggered it may cancel it.
  return {
    ...run,
    environment: { name: env.name, project: { slug: project.slug } },
    triggeredBy: { id: actor.userId, name: actor.name, email: actor.email },
    canCancel: true,
  };
}
