import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { originalEnvironmentName } from "../environments/environment-input";
import { getEnvironment } from "../environments/get-environment";
import { AppError } from "../errors";
import { getRun } from "./get-run";
import { isTerminal } from "./run-states";
import { startRun } from "./start-run";
import { serviceName } from "../config/service-name";

/** What the run page shows for Run again: the button, or why it is disabled. */
export type RunAgainOffer = { allowed: boolean; reason: string | null };

type RepeatedRun = {
  app: string;
  worker: string | null;
  operation: string;
  environment: { name: string; deletedAt: Date | null; project: { slug: string } };
};

/**
 * The run's operation in its environment's CURRENT deployment, with the
 * verdict the environment page and the API show (getEnvironment, the one
 * place that asks the access rule for each operation). Null: it is gone.
 */
async function currentOperation(db: Db, actor: Actor, run: RepeatedRun) {
  const { environment: env } = run;
  const { operations } = await getEnvironment(db, actor, env.project.slug, env.name);
  return (
    operations.find((op) => op.app === run.app && op.worker === run.worker && op.name === run.operation) ??
    null
  );
}

/**
 * Whether the run page offers Run again, and if not why (the same reasons as
 * the Run dialog's). Null for a deleted environment: it takes no runs, so the
 * page offers nothing. Only a mirror: `runAgain` decides.
 */
export async function runAgainOffer(db: Db, actor: Actor, run: RepeatedRun): Promise<RunAgainOffer | null> {
  if (run.environment.deletedAt) return null;
  const op = await currentOperation(db, actor, run);
  if (!op) return { allowed: false, reason: "no longer in the current deployment" };
  return { allowed: op.allowed, reason: op.reason };
}

/**
 * Starts a finished run's operation again on the same app (and worker) of the
 * same environment, as it is defined NOW: looked up in the current deployment
 * and authorized with its current role by `startRun`, like any run (a paused
 * environment refuses it there). The new run names the one it repeats.
 */
export async function runAgain(db: Db, actor: Actor, runId: string) {
  const { run } = await getRun(db, actor, runId);
  const what = `${run.operation} on ${serviceName(run.app, run.worker)}`;
  if (!isTerminal(run.state)) {
    throw new AppError(409, "run_not_finished", `run ${run.id} has not finished: it cannot be run again yet`);
  }
  if (run.environment.deletedAt) {
    const name = originalEnvironmentName(run.environment.name);
    throw new AppError(409, "environment_deleted", `environment ${name} was deleted: it takes no new runs`);
  }
  // startRun looks the operation up in the current deployment (and asks the rule) in its one read;
  // its 404 is said here in the words of Run again.
  return startRun(
    db,
    actor,
    { environmentId: run.environmentId, app: run.app, worker: run.worker, operation: run.operation },
    { repeatOfId: run.id },
  ).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404 && error.code === "not_found") {
      throw new AppError(
        404,
        "not_found",
        `${what} is no longer in ${run.environment.name}'s current deployment: nothing was started`,
      );
    }
    throw error;
  });
}
