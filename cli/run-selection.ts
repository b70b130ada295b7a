import type { ApiClient, Run } from "./api-client.ts";
import type { Context, Options } from "./command.ts";
import { serviceName } from "../lib/config/service-name.ts";
import { CliError, ExitCode } from "./errors.ts";
import { isTerminal } from "./run-states.ts";
import { type Target, resolveTarget } from "./target.ts";

/** How Upsun names where a run ran: the app, or `app--worker`. */
export const serviceOf = (run: Pick<Run, "app" | "worker">) => serviceName(run.app, run.worker);

export const hasEnded = (run: Pick<Run, "state">) => isTerminal(run.state);

/** "clear-rebuild on storefront, in progress, by Ada Admin at 2026-05-01T12:00:00Z". */
export function describeRun(run: Run): string {
  const created = run.createdAt.replace(/\.\d+Z$/, "Z");
  return `${run.operation} on ${serviceOf(run)}, ${run.state.replace("_", " ")}, by ${run.triggeredBy.name} at ${created}`;
}

/**
 * The run a command works on: the one named by ID, else (as Upsun's
 * activity:log and activity:get) the environment's most recent run.
 */
export async function runById(
  ctx: Context,
  client: ApiClient,
  id: string | undefined,
  options: Options,
): Promise<Run> {
  if (id !== undefined) return client.getRun(id);
  const target = await resolveTarget(ctx, client, options);
  const [latest] = (await client.listRuns(target.project, target.environment, { limit: 1 })).runs;
  if (!latest) throw new CliError(`no runs on ${where(target)}`, ExitCode.notFound);
  return latest;
}

/** The environment's runs that can still be cancelled (pending or in progress), newest first. */
export async function activeRuns(client: ApiClient, target: Target): Promise<Run[]> {
  const pages = await Promise.all(
    (["in_progress", "pending"] as const).map((state) =>
      client.listRuns(target.project, target.environment, { state, limit: 100 }),
    ),
  );
  // Run ids sort by creation time.
  return pages.flatMap((p) => p.runs).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export const where = (target: Target) => `the environment ${target.environment} of ${target.project}`;
