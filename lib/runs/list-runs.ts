import type { Actor } from "../access/actor";
import { environmentTypeSchema, roleSchema } from "../access/roles";
import type { Db } from "../db/client";
import {
  type EnvironmentAccess,
  type EnvironmentRef,
  getEnvironmentAccess,
} from "../environments/get-environment-access";
import { notFound } from "../errors";
import { type RunFilters, runFiltersSchema } from "./run-filters";

/** The columns a listed run is shown with (lib/runs/run-view.ts, the deleted environment's page). */
const listedRun = {
  id: true,
  environmentId: true,
  app: true,
  worker: true,
  operation: true,
  role: true,
  command: true,
  state: true,
  result: true,
  exitCode: true,
  signal: true,
  reason: true,
  source: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  cancelRequestedAt: true,
  workerLabel: true,
  pool: true,
  targetKind: true,
  targetHost: true,
  logBytes: true,
  logTruncated: true,
  repeatOfId: true,
  triggeredBy: { select: { id: true, name: true, email: true } },
} as const;

/**
 * An environment's runs, newest first, filtered, one keyset page at a time.
 * By id, a deleted environment's history too (for project admins); by project
 * slug and name, a live environment only. Three statements: the environment
 * with its project and the actor's membership, the page, who triggered them.
 */
export async function listRuns(
  db: Db,
  actor: Actor,
  /** An environment id, a live environment's slug and name, or what the caller already loaded. */
  environment: string | Extract<EnvironmentRef, { projectSlug: string }> | EnvironmentAccess,
  filters: RunFilters,
) {
  const f = runFiltersSchema.parse(filters);
  const loaded =
    typeof environment === "object" && "access" in environment
      ? environment
      : await getEnvironmentAccess(
          db,
          actor,
          typeof environment === "string" ? { environmentId: environment } : environment,
        );
  if (!loaded) throw notFound("environment");
  const { environment: env, project, access } = loaded;
  // A deleted environment's history stays readable, by project admins only.
  if (env.deleted && !access.can({ kind: "admin-project" }).allowed) throw notFound("environment");
  const environmentType = environmentTypeSchema.parse(env.type);
  await access.require({ kind: "view-environment", environmentType }, "environment");
  const rows = await db.run.findMany({
    where: {
      environmentId: env.id,
      operation: f.operation,
      app: f.app,
      state: f.state,
      result: f.result,
      triggeredBy: f.user
        ? f.user.includes("@")
          ? { email: f.user.toLowerCase() }
          : { id: f.user }
        : undefined,
      createdAt:
        f.since || f.before
          ? {
              gte: f.since ? new Date(f.since) : undefined,
              lt: f.before ? new Date(f.before) : undefined,
            }
          : undefined,
      id: f.cursor ? { lt: f.cursor } : undefined,
    },
    orderBy: { id: "desc" },
    take: f.limit + 1,
    select: listedRun,
  });
  // Every run is of this environment: its name and project come from the first read.
  const where = { name: env.name, project: { slug: project.slug } };
  const page = rows.slice(0, f.limit).map((run) => {
    const role = roleSchema.safeParse(run.role);
    const canCancel =
      role.success && access.can({ kind: "cancel-run", environmentType, operationRole: role.data }).allowed;
    return { ...run, environment: where, canCancel };
  });
  return { runs: page, nextCursor: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null };
}
