import { type Access, accessFor } from "../access/access";
import { memberRolesOfRow, roleColumnsSql } from "../access/member-roles";
import type { Actor } from "../access/actor";
import { rawBoolean, rawDate, rawString } from "../db/raw-values";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client.ts";

/** An environment by id (deleted ones too: callers decide), or a live one by project slug and name. */
export type EnvironmentRef = { environmentId: string } | { projectSlug: string; environmentName: string };

export type EnvironmentAccess = {
  environment: {
    id: string;
    projectId: string;
    name: string;
    type: string;
    status: string;
    targetKind: string;
    targetHost: string | null;
    targetPath: string;
    targetHostKey: string | null;
    pool: string;
    deleted: boolean;
    deletedAt: Date | null;
  };
  project: { id: string; slug: string; name: string };
  /** With `deployment: true`: the current deployment (null when none). */
  deployment: { id: string; config: string | null; createdAt: Date } | null;
  /** With `lastAttempt: true`: the newest deployment attempt, current or refused. */
  lastAttempt: { ok: boolean; error: string | null; createdAt: Date } | null;
  access: Access;
};

type Row = Record<string, unknown>;

/**
 * One statement for what every environment request starts with: the
 * environment, its project and the actor's membership (and, when asked, the
 * current deployment and the newest attempt), instead of one query each.
 * Null when there is no such environment. Access is not decided here: the
 * caller asks `access` (decide(), the one rule) before showing anything.
 */
export async function getEnvironmentAccess(
  db: Db,
  actor: Actor,
  ref: EnvironmentRef,
  options: { deployment?: boolean; lastAttempt?: boolean } = {},
): Promise<EnvironmentAccess | null> {
  const where =
    "environmentId" in ref
      ? Prisma.sql`e.id = ${ref.environmentId}`
      : Prisma.sql`p.slug = ${ref.projectSlug} AND e.name = ${ref.environmentName} AND e."deletedAt" IS NULL`;
  const deploymentColumns = options.deployment
    ? Prisma.sql`, d.id AS "deploymentId", d.config AS "deploymentConfig", d."createdAt" AS "deploymentAt"`
    : Prisma.empty;
  const deploymentJoin = options.deployment
    ? Prisma.sql`LEFT JOIN "Deployment" d ON d.id = e."currentDeploymentId"`
    : Prisma.empty;
  const lastColumns = options.lastAttempt
    ? Prisma.sql`, l.id AS "lastId", l.ok AS "lastOk", l.error AS "lastError", l."createdAt" AS "lastAt"`
    : Prisma.empty;
  const lastJoin = options.lastAttempt
    ? Prisma.sql`LEFT JOIN "Deployment" l ON l.id = (
        SELECT x.id FROM "Deployment" x WHERE x."environmentId" = e.id ORDER BY x."createdAt" DESC LIMIT 1)`
    : Prisma.empty;
  const rows = await db.$queryRaw<Row[]>`
    SELECT e.id, e."projectId", e.name, e.type, e.status, e."targetKind", e."targetHost", e."targetPath",
      e."targetHostKey", e.pool, e."deletedAt", p.slug AS "projectSlug", p.name AS "projectName",
      ${Prisma.raw(roleColumnsSql("m"))}
      ${deploymentColumns} ${lastColumns}
    FROM "Environment" e
    JOIN "Project" p ON p.id = e."projectId"
    LEFT JOIN "Membership" m ON m."projectId" = e."projectId" AND m."userId" = ${actor.userId}
    ${deploymentJoin} ${lastJoin}
    WHERE ${where}`;
  const r = rows[0];
  if (!r) return null;
  const projectId = String(r.projectId);
  const member = memberRolesOfRow(r);
  return {
    environment: {
      id: String(r.id),
      projectId,
      name: String(r.name),
      type: String(r.type),
      status: String(r.status),
      targetKind: String(r.targetKind),
      targetHost: rawString(r.targetHost),
      targetPath: String(r.targetPath),
      targetHostKey: rawString(r.targetHostKey),
      pool: String(r.pool),
      deleted: r.deletedAt !== null && r.deletedAt !== undefined,
      deletedAt: rawDate(r.deletedAt),
    },
    project: { id: projectId, slug: String(r.projectSlug), name: String(r.projectName) },
    deployment:
      r.deploymentId === null || r.deploymentId === undefined
        ? null
        : {
            id: String(r.deploymentId),
            config: rawString(r.deploymentConfig),
            createdAt: rawDate(r.deploymentAt) ?? new Date(0),
          },
    lastAttempt:
      r.lastId === null || r.lastId === undefined
        ? null
        : {
            ok: rawBoolean(r.lastOk),
            error: rawString(r.lastError),
            createdAt: rawDate(r.lastAt) ?? new Date(0),
          },
    access: accessFor(db, actor, projectId, member),
  };
}
