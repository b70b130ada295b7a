import { accessFor } from "../access/access";
import { memberRolesOfRow, roleColumnsSql } from "../access/member-roles";
import type { Actor } from "../access/actor";
import { rawBoolean, rawDate, rawString } from "../db/raw-values";
import { environmentTypeSchema, roleSchema } from "../access/roles";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client.ts";
import { notFound } from "../errors";

type Row = Record<string, unknown>;

/**
 * One statement for what a request about a run starts with: the run's shown
 * columns, who triggered it, its environment and project, and the actor's
 * membership as an `Access`. Null when there is no such run. Nothing is
 * decided here: callers ask `access` before showing or changing anything.
 */
export async function readRun(db: Db, actor: Actor, runId: string) {
  const rows = await db.$queryRaw<Row[]>`
    SELECT r.id, r."environmentId", r.app, r.worker, r.operation, r.role, r.command, r.state, r.result,
      r."exitCode", r.signal, r.reason, r.source, r."createdAt", r."startedAt", r."finishedAt",
      r."cancelRequestedAt", r."workerLabel", r.pool, r."targetKind", r."targetHost", r."logBytes",
      r."logTruncated", r."repeatOfId",
      u.id AS "userId", u.name AS "userName", u.email AS "userEmail",
      e."projectId", e.name AS "environmentName", e.type AS "environmentType",
      e."deletedAt" AS "environmentDeletedAt", p.slug AS "projectSlug", p.name AS "projectName",
      ${Prisma.raw(roleColumnsSql("m"))}
    FROM "Run" r
    JOIN "User" u ON u.id = r."triggeredById"
    JOIN "Environment" e ON e.id = r."environmentId"
    JOIN "Project" p ON p.id = e."projectId"
    LEFT JOIN "Membership" m ON m."projectId" = e."projectId" AND m."userId" = ${actor.userId}
    WHERE r.id = ${runId}`;
  const r = rows[0];
  if (!r) return null;
  const projectId = String(r.projectId);
  const access = accessFor(db, actor, projectId, memberRolesOfRow(r));
  const environmentType = environmentTypeSchema.parse(r.environmentType);
  const deletedAt = rawDate(r.environmentDeletedAt);
  const exitCode = r.exitCode === null || r.exitCode === undefined ? null : Number(r.exitCode);
  const run = {
    id: String(r.id),
    environmentId: String(r.environmentId),
    app: String(r.app),
    worker: rawString(r.worker),
    operation: String(r.operation),
    role: String(r.role),
    command: String(r.command),
    state: String(r.state),
    result: rawString(r.result),
    exitCode,
    signal: rawString(r.signal),
    reason: rawString(r.reason),
    source: String(r.source),
    createdAt: rawDate(r.createdAt) ?? new Date(0),
    startedAt: rawDate(r.startedAt),
    finishedAt: rawDate(r.finishedAt),
    cancelRequestedAt: rawDate(r.cancelRequestedAt),
    workerLabel: rawString(r.workerLabel),
    pool: String(r.pool),
    targetKind: String(r.targetKind),
    targetHost: rawString(r.targetHost),
    logBytes: BigInt(r.logBytes as bigint | number | string),
    logTruncated: rawBoolean(r.logTruncated),
    repeatOfId: rawString(r.repeatOfId),
    triggeredBy: { id: String(r.userId), name: String(r.userName), email: String(r.userEmail) },
    environment: {
      name: String(r.environmentName),
      type: environmentType,
      projectId,
      deletedAt,
      project: { id: projectId, slug: String(r.projectSlug), name: String(r.projectName) },
    },
  };
  return { run, access, environmentType };
}

/**
 * A run the actor may see, with whether they may cancel it. 404 otherwise.
 * One statement (opening a log starts here); every question goes to the access rule.
 */
export async function getRun(db: Db, actor: Actor, runId: string) {
  const loaded = await readRun(db, actor, runId);
  if (!loaded) throw notFound("run");
  const { run, access, environmentType } = loaded;
  if (!access.can({ kind: "view-environment", environmentType }).allowed) throw notFound("run");
  // Runs of a deleted environment stay reachable by id, for project admins only.
  if (run.environment.deletedAt && !access.can({ kind: "admin-project" }).allowed) throw notFound("run");
  const canCancel = access.can({
    kind: "cancel-run",
    environmentType,
    operationRole: roleSchema.parse(run.role),
  }).allowed;
  return { run, canCancel };
}
