import { z } from "zod";
import type { Actor } from "../access/actor";
import { authorize, loadMemberRoles, requireAccess } from "../access/authorize";
import { decide } from "../access/decide";
import { environmentTypeSchema, roleSchema } from "../access/roles";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { runResultSchema, runStateSchema } from "./run-model";

export const runFiltersSchema = z.object({
  operation: z.string().min(1).optional(),
  app: z.string().min(1).optional(),
  state: runStateSchema.optional(),
  result: runResultSchema.optional(),
  /** Who triggered: a user id or email. */
  user: z.string().min(1).optional(),
  /** Runs created at or after this time (ISO 8601). */
  since: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
  /** Keyset cursor: the id of the last run of the previous page. */
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RunFilters = z.input<typeof runFiltersSchema>;

/** An environment's runs, newest first, filtered, one keyset page at a time. */
export async function listRuns(db: Db, actor: Actor, environmentId: string, filters: RunFilters) {
  const f = runFiltersSchema.parse(filters);
  const env = await db.environment.findUnique({ where: { id: environmentId } });
  if (!env) throw notFound("environment");
  // A deleted environment's history stays readable, by project admins only.
  if (env.deletedAt && !(await authorize(db, actor, env.projectId, { kind: "admin-project" })).allowed) {
    throw notFound("environment");
  }
  await requireAccess(
    db,
    actor,
    env.projectId,
    { kind: "view-environment", environmentType: environmentTypeSchema.parse(env.type) },
    "environment",
  );
  const rows = await db.run.findMany({
    where: {
      environmentId,
      operation: f.operation,
      app: f.app,
      state: f.state,
      result: f.result,
      triggeredBy: f.user
        ? f.user.includes("@")
          ? { email: f.user.toLowerCase() }
          : { id: f.user }
        : undefined,
      createdAt: f.since ? { gte: new Date(f.since) } : undefined,
      id: f.cursor ? { lt: f.cursor } : undefined,
    },
    orderBy: { id: "desc" },
    take: f.limit + 1,
    include: {
      triggeredBy: { select: { id: true, name: true, email: true } },
      environment: { select: { name: true, project: { select: { slug: true } } } },
    },
  });
  const member = await loadMemberRoles(db, actor.userId, env.projectId);
  const environmentType = environmentTypeSchema.parse(env.type);
  const page = rows.slice(0, f.limit).map((run) => {
    const role = roleSchema.safeParse(run.role);
    const canCancel =
      role.success &&
      decide(member, { kind: "cancel-run", environmentType, operationRole: role.data }).allowed;
    return { ...run, canCancel };
  });
  return { runs: page, nextCursor: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null };
}
